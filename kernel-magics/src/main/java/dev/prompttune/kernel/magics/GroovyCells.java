package dev.prompttune.kernel.magics;

import dev.prompttune.dsl.Experiments;
import dev.prompttune.dsl.InterruptibleScripts;
import dev.prompttune.dsl.ScriptRunner;
import java.util.List;

/**
 * How the kernel compiles %%groovy and %%promptTune cells: the DSL's own settings ({@link ScriptRunner#configuration()})
 * plus two more.
 * <ul>
 *   <li>{@link InterruptibleScripts} (Groovy's {@code ThreadInterrupt}, after the checks; the CLI's scripts have it
 *       too): loops, closures and method entries check the thread's interrupt flag and throw
 *       {@link InterruptedException}, so the stop button (which interrupts the cell's thread) ends a busy Groovy loop.
 *       Without it {@code while (true) { n++ }} never looked at the flag, and the kernel waited for it (a %%groovy cell
 *       is a cooperative section: {@code CooperativeInterrupt}) with no reply to that cell or any later one.</li>
 *   <li>{@link GroovyExitCheck}: {@code System.exit} and the like are refused when the cell compiles.</li>
 * </ul>
 */
final class GroovyCells {

    private GroovyCells() {
    }

    static ScriptRunner runner(Experiments experiments) {
        return new ScriptRunner(experiments, List.of(new InterruptibleScripts(), new GroovyExitCheck()));
    }
}
