package dev.prompttune.kernel;

import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.JupyterIO;

import java.nio.charset.Charset;

/** JupyterIO whose attach/detach (protected in 1.0-a6) the kernel can call from its own execute handler. */
final class KernelIO extends JupyterIO {

    KernelIO(Charset encoding) {
        super(encoding);
    }

    void attach(ShellReplyEnvironment env, boolean stdinEnabled) {
        setEnv(env);
        setJupyterInEnabled(stdinEnabled);
    }

    void detach(ShellReplyEnvironment env) {
        retractEnv(env);
    }

    /** Publishes buffered stdout/stderr (print without newline stays buffered otherwise). */
    void flush() {
        out.flush();
        err.flush();
    }
}
