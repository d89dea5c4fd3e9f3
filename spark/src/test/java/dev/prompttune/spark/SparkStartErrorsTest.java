package dev.prompttune.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.run.Session;
import dev.prompttune.dsl.Experiments;
import dev.prompttune.dsl.ScriptError;
import dev.prompttune.dsl.ScriptRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster that cannot start is one line at the run's block, before the run begins (no record): a standalone master
 * nobody answers at (Spark retried it for a minute, printing stack traces, then the run failed at its first step), and
 * a conf value Spark cannot read or a master kind this build lacks (a wall of stack traces ending in an
 * IllegalStateException, exit 1).
 */
@ExtendWith(TinyHome.class)
class SparkStartErrorsTest {

    @TempDir
    static Path tmp;

    private static String failure(String name, String cluster) {
        Path save = tmp.resolve(name);
        String script = """
                promptTune {
                    model 'tiny'; data 'markers'; length 4; steps 2; batch 4; evalEvery 0; save '%s'
                    %s
                }
                """.formatted(save, cluster);
        try (Session session = new Session()) {
            ScriptError e = assertThrows(ScriptError.class,
                    () -> new ScriptRunner(new Experiments(session)).run(script, name + ".groovy"));
            assertFalse(Files.exists(save), "a record was made for a run that never started: " + save);
            return e.getMessage();
        }
    }

    @Test
    void aMasterThatDoesNotAnswerIsNamedAtOnce() {
        long start = System.nanoTime();
        // Port 1 on the loopback interface: nothing listens there, so the connection is refused at once.
        String m = failure("refused", "cluster { master 'spark://127.0.0.1:1'; workers 2 }");
        assertEquals("refused.groovy:1: cluster 'spark://127.0.0.1:1': cannot reach the Spark master: 127.0.0.1:1 refused "
                + "the connection; allowed: the address of a running standalone master (spark://HOST:PORT)", m);
        assertTrue(System.nanoTime() - start < 30_000_000_000L, "took " + (System.nanoTime() - start) / 1e9 + " s");
    }

    @Test
    void aSettingSparkCannotReadIsOneLine() {
        String m = failure("lots", "cluster { master 'local[1]'; conf 'spark.executor.memory', 'lots' }");
        assertEquals(1, m.lines().count(), m);
        assertTrue(m.startsWith("lots.groovy:1: cluster 'local[1]': Spark could not start: ") && m.contains("lots"), m);
    }

    /** Spark's checked SparkException (a master kind this build has no support for) is one line too. */
    @Test
    void aMasterKindThisBuildLacksIsOneLine() {
        String m = failure("yarn", "cluster { master 'yarn'; workers 2 }");
        assertEquals("yarn.groovy:1: cluster 'yarn': Spark could not start: Could not parse Master URL: 'yarn'; allowed: a "
                + "master and conf settings Spark accepts", m);
    }
}
