package dev.prompttune.kernel;

import dev.prompttune.core.PromptTuneException;

/**
 * What a cell gets for {@code System.exit}, {@code Runtime.exit} or {@code Runtime.halt}: the call would end the
 * kernel's JVM, and the notebook's runs and variables with it, with no word to the notebook (the client saw the cell
 * start and then nothing). IPython refuses {@code sys.exit()} in a cell the same way (it reports SystemExit and keeps
 * the kernel). A %%groovy cell is refused when it compiles ({@code GroovyExitCheck}); a Java cell's call is redirected
 * here when its class loads ({@code ExitCallRewriter}) and fails when it runs.
 */
public final class CellExit {

    private CellExit() {
    }

    /** The one-line refusal, {@code call} being what the cell wrote ({@code System.exit}, {@code Runtime.halt}). */
    public static String message(String call) {
        return call + " would end the notebook's kernel and lose its runs; end the cell with return, or restart the "
                + "kernel from the notebook";
    }

    /** Stands in for {@code System.exit(status)} in a Java cell. */
    public static void systemExit(int status) {
        throw new PromptTuneException(message("System.exit"));
    }

    /** Stands in for {@code runtime.exit(status)} in a Java cell. */
    public static void runtimeExit(Runtime runtime, int status) {
        throw new PromptTuneException(message("Runtime.exit"));
    }

    /** Stands in for {@code runtime.halt(status)} in a Java cell. */
    public static void runtimeHalt(Runtime runtime, int status) {
        throw new PromptTuneException(message("Runtime.halt"));
    }
}
