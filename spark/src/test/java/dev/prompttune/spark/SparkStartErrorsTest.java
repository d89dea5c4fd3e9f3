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
 * A cluster that cannot start is one line at the cluster setting's line (or the conf line it names), before the run
 * begins (no record): a standalone master nobody answers at (Spark retried it for a minute, printing stack traces,
 * then the run failed at its first step), and a conf value Spark cannot read (a wall of stack traces ending in an
 * IllegalStateException, exit 1). A master kind this build lacks and a size Spark cannot read are refused before the
 * script runs, at their line.
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
        assertEquals("refused.groovy:3: cluster 'spark://127.0.0.1:1': cannot reach the Spark master: 127.0.0.1:1 refused "
                + "the connection; allowed: the address of a running standalone master (spark://HOST:PORT)", m);
        assertTrue(System.nanoTime() - start < 30_000_000_000L, "took " + (System.nanoTime() - start) / 1e9 + " s");
    }

    /** Spark's own refusal at its start, at the line of the conf it names (it was the block's first line). */
    @Test
    void aSettingSparkCannotReadIsOneLineAtItsConf() {
        String m = failure("flag", "cluster {\n        master 'local[1]'\n        conf 'spark.memory.offHeap.enabled', 'maybe'\n    }");
        assertEquals(1, m.lines().count(), m);
        assertTrue(m.startsWith("flag.groovy:5: cluster 'local[1]': Spark could not start: ") && m.contains("maybe"), m);
    }

    /** A size Spark cannot read: refused before the script runs (it was after the runs before it had trained). */
    @Test
    void aSizeSparkCannotReadIsRefusedBeforeTheScriptRuns() {
        String m = failure("lots", "cluster { master 'local[1]'; conf 'spark.executor.memory', 'lots' }");
        assertEquals("lots.groovy:3: cluster conf 'spark.executor.memory' is 'lots', which Spark cannot read as a size; "
                + "allowed: a whole number with an optional unit b, k, m, g, t or p (e.g. 16g, 512m; no fraction, no space)", m);
    }

    /** Spark's YARN module is not in this build: refused before the script runs, and not offered as allowed. */
    @Test
    void aMasterKindThisBuildLacksIsRefusedBeforeTheScriptRuns() {
        String m = failure("yarn", "cluster { master 'yarn'; workers 2 }");
        assertEquals("yarn.groovy:3: cluster master 'yarn' needs Spark's YARN module (spark-yarn_2.13), which this build "
                + "does not include; allowed: local, local[N] (N >= 1), local[*], local[N,F] (F >= 1), spark://host:port", m);
    }
}
