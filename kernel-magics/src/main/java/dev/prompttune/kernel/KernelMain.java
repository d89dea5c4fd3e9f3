package dev.prompttune.kernel;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Entry point. {@code KernelMain <connection_file>} runs the kernel (Jupyter starts it so, from kernel.json);
 * {@code KernelMain install [...]} writes the kernelspec (see {@link KernelSpecInstaller}).
 */
public final class KernelMain {

    private KernelMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 1 && args[0].equals("install")) {
            System.exit(KernelSpecInstaller.run(List.of(args).subList(1, args.length)));
        }
        if (args.length >= 1 && (args[0].equals("--version") || args[0].equals("version"))) {
            System.out.println(KernelVersion.describe());
            return;
        }
        if (args.length != 1 || args[0].startsWith("-")) {
            System.err.println("usage: " + KernelMain.class.getName() + " <connection_file>\n       "
                    + KernelSpecInstaller.usage() + "\ngot: " + Arrays.toString(args));
            System.exit(2);
        }
        AtomicReference<PromptTuneKernel> kernel = new AtomicReference<>();
        run(Path.of(args[0]), kernel);
        KernelExit.afterCell(kernel.get(), 0);
    }

    /** Runs the kernel until it is shut down (SIGTERM and the client's death end the process from their threads). */
    static void run(Path connectionFile, AtomicReference<PromptTuneKernel> kernelRef) throws Exception {
        dev.prompttune.core.model.EngineSetup.configure(); // offline, and a usable home for DJL's natives cache
        KernelExit.onSigterm(kernelRef);
        ExitReport.install();
        ParentWatcher.watchFromEnvironment(() -> {
            System.err.println("prompttune kernel: client process " + System.getenv(ParentWatcher.ENV) + " is gone; exiting");
            KernelExit.afterCell(kernelRef.get(), 0);
        });

        KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(connectionFile));
        JupyterConnection connection = new JupyterConnection(props);

        PromptTuneKernel kernel = PromptTuneKernel.builder().build();
        kernelRef.set(kernel);
        kernel.onStartup(); // notebook statics + Extension SPI (registers the magics)
        installSigintHandler(kernel);

        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        connection.waitUntilClose();
    }

    /** Ctrl-C in a terminal, or a client using signal mode, interrupts the cell instead of killing the JVM. */
    private static void installSigintHandler(PromptTuneKernel kernel) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), sig -> new Thread(kernel::interrupt, "sigint").start());
        } catch (Throwable e) { // no such signal / jdk.unsupported missing: keep the default
            System.err.println("prompttune kernel: no SIGINT handler: " + e);
        }
    }
}
