package dev.prompttune.kernel;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

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
        run(Path.of(args[0]));
        System.exit(0);
    }

    /** Runs the kernel until it is shut down (or its client dies). */
    static void run(Path connectionFile) throws Exception {
        ParentWatcher.watchFromEnvironment(() -> ParentWatcher.exitProcess(
                "client process " + System.getenv(ParentWatcher.ENV) + " is gone"));

        KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(connectionFile));
        JupyterConnection connection = new JupyterConnection(props);

        PromptTuneKernel kernel = PromptTuneKernel.builder().build();
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
