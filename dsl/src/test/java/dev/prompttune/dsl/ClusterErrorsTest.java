package dev.prompttune.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.run.Session;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@code cluster} setting's mistakes: one line each, naming the setting, the value and what is allowed, on the
 * script line at fault, before the script starts (literal values) and without loading a model.
 */
@ExtendWith(HomeExtension.class)
class ClusterErrorsTest {

    static Session session;

    @BeforeAll
    static void session() {
        session = new Session();
    }

    @AfterAll
    static void noModelWasLoaded() {
        assertEquals(0, session.modelLoads(), "a model was loaded");
        session.close();
    }

    /** A master given in conf too was taken silently, one of the two ignored. */
    @Test
    void theMasterIsSetOneWay() {
        expect("promptTune {\n  model 'tiny'; data 'markers'\n  cluster { master 'local[1]'; conf 'spark.master', 'local[3]' }\n}\n", 3,
                "cluster conf 'spark.master' would set the master a second way; allowed: master 'local[3]' "
                        + "(cluster { master 'local[3]' } or cluster 'local[3]')");
    }

    /** Groovy's own words were "Reference to method is ambiguous" and "'conf' takes one value ((String, String)), got 2". */
    @Test
    void nullAndAWrongSettingTypeAreNamed() {
        expect("promptTune {\n  model 'tiny'; data 'markers'\n  cluster null\n}\n", 3,
                "cluster is given null; allowed: cluster(Closure) or cluster(Consumer) or cluster(String)");
        expect("promptTune {\n  model 'tiny'; data 'markers'\n  cluster { master 'local[1]'; conf 'spark.executor.memory', 5 }\n}\n", 3,
                "wrong type for 'conf': expected (String, String), got String ('spark.executor.memory'), int (5)");
    }

    /** Too many tasks for this machine's memory: on the cluster line (it was reported on the data line). */
    @Test
    void tooManyTasksForMemoryIsOnTheClusterLine() {
        ScriptError e = org.junit.jupiter.api.Assertions.assertThrows(ScriptError.class,
                () -> new ScriptRunner(new Experiments(session)).run(
                        "promptTune {\n  model 'tiny'; data 'markers'\n  batch 64\n  cluster 'local[2000000000]'\n}\n", "bad.groovy"));
        assertTrue(e.reason().startsWith("cluster 'local[2000000000]' runs 2000000000 training steps at once"), e.reason());
        assertEquals(4, e.line(), e.getMessage());
    }

    private static void expect(String script, int line, String message) {
        ScriptError e = org.junit.jupiter.api.Assertions.assertThrows(ScriptError.class,
                () -> new ScriptRunner(new Experiments(session)).run(script, "bad.groovy"));
        assertEquals(message, e.reason());
        assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.getMessage().lines().count() == 1, "one line");
    }

    @Test
    void badMasterUrl() {
        assertTrue(dev.prompttune.core.spec.ClusterSpec.allowedMasters().equals(
                "local, local[N] (N >= 1), local[*], local[N,F] (F >= 1), spark://host:port"), "no yarn, no k8s here");
        expect("promptTune {\n  model 'tiny'; data 'markers'\n  cluster 'local[two]'\n}\n", 3,
                "cluster master 'local[two]' is not a Spark master URL; allowed: " + dev.prompttune.core.spec.ClusterSpec.ALLOWED_MASTERS);
        expect("promptTune {\n  model 'tiny'; data 'markers'\n  cluster {\n    master 'spark//head:7077'\n  }\n}\n", 4,
                "cluster master 'spark//head:7077' is not a Spark master URL; allowed: " + dev.prompttune.core.spec.ClusterSpec.ALLOWED_MASTERS);
    }

    @Test
    void badWorkersAndSettings() {
        expect("promptTune {\n  model 'tiny'; data 'markers'\n  cluster {\n    master 'local[2]'\n    workers 0\n  }\n}\n", 5,
                "cluster workers is 0; allowed: workers >= 1 (tasks per step)");
        // `workers -2` is Groovy's `workers - 2`: it read the block's field of that name (null) and failed at run time
        // with a NullPointerException, after --check had said ok.
        expect("promptTune {\n  model 'tiny'; data 'markers'\n  cluster {\n    master 'local[2]'\n    workers -2\n  }\n}\n", 5,
                "cluster workers is -2; allowed: workers >= 1 (tasks per step)");
        expect("promptTune {\n  model 'tiny'; data 'markers'\n  cluster { master 'local[2]'; conf 'executor.memory', '2g' }\n}\n", 3,
                "cluster conf key 'executor.memory' is not a Spark setting; allowed: keys starting with 'spark.'");
        expect("promptTune {\n  model 'tiny'; data 'markers'\n  cluster { mastr 'local[2]' }\n}\n", 3,
                "unknown keyword 'mastr' in cluster { }; did you mean 'master'?");
    }

    /**
     * {@code cluster { master 'local[1]' }} without the spark module: refused before the script runs, at the cluster
     * line of every block, as {@code cluster 'local[1]'} is (the block form passed run --check, and the run refused it
     * after the runs before had trained).
     */
    @Test
    void theBlockFormIsCheckedLikeTheStringFormBeforeTheScriptRuns() {
        String script = """
                promptTune { model 'tiny'; data 'markers'; name 'first' }
                promptTune {
                  model 'tiny'; data 'markers'
                  cluster { master 'local[1]' }
                }
                promptTune {
                  model 'tiny'; data 'markers'
                  cluster 'local[1]'
                }
                promptTune {
                  model 'tiny'; data 'markers'
                  cluster {
                    master 'local[2]'
                    conf 'spark.executor.memory', 'lots'
                  }
                }
                """;
        ScriptError e = withoutClusterBackend(() -> org.junit.jupiter.api.Assertions.assertThrows(ScriptError.class,
                () -> new ScriptRunner(new Experiments(session)).compile(script, "blocks.groovy")));
        String needs = "needs the prompttune-spark module on the class path, which has none; allowed: no cluster setting";
        List<String> lines = e.getMessage().lines().toList();
        assertEquals(4, lines.size(), e.getMessage());
        assertTrue(lines.get(0).startsWith("blocks.groovy:4: cluster 'local[1]' " + needs), e.getMessage());
        assertTrue(lines.get(1).startsWith("blocks.groovy:8: cluster 'local[1]' " + needs), e.getMessage());
        assertTrue(lines.get(2).startsWith("blocks.groovy:12: cluster 'local[2]' " + needs), e.getMessage());
        assertEquals("blocks.groovy:14: cluster conf 'spark.executor.memory' is 'lots', which Spark cannot read as a size; "
                + "allowed: a whole number with an optional unit b, k, m, g, t or p (e.g. 16g, 512m; no fraction, no space)",
                lines.get(3));
    }

    /** With a backend, a block that does not name its workers for a real cluster is refused at compile time too. */
    @Test
    void theBlockAsAWholeIsCheckedAtCompileTime() {
        ScriptError e = org.junit.jupiter.api.Assertions.assertThrows(ScriptError.class,
                () -> new ScriptRunner(new Experiments(session)).compile(
                        "promptTune {\n  model 'tiny'; data 'markers'\n  cluster {\n    master 'spark://head:7077'\n  }\n}\n",
                        "w.groovy"));
        assertEquals("w.groovy:3: cluster workers is missing for master 'spark://head:7077'; allowed: workers N (tasks per "
                + "step) in cluster { master 'spark://head:7077'; workers N }; only local[N] implies it", e.getMessage());
    }

    /** yarn and k8s:// need Spark modules this build lacks: refused at their line, and the advice does not offer them. */
    @Test
    void mastersThisBuildCannotRunAreRefusedAtTheirLine() {
        expect("promptTune {\n  model 'tiny'; data 'markers'\n  cluster {\n    master 'yarn'; workers 2\n  }\n}\n", 4,
                "cluster master 'yarn' needs Spark's YARN module (spark-yarn_2.13), which this build does not include; "
                        + "allowed: local, local[N] (N >= 1), local[*], local[N,F] (F >= 1), spark://host:port");
        expect("promptTune {\n  model 'tiny'; data 'markers'\n  cluster 'k8s://https://host:443'\n}\n", 3,
                "cluster master 'k8s://https://host:443' needs Spark's Kubernetes module (spark-kubernetes_2.13), which "
                        + "this build does not include; allowed: local, local[N] (N >= 1), local[*], local[N,F] (F >= 1), "
                        + "spark://host:port");
    }

    /** Runs {@code work} with no cluster backend visible (the spark module not built): the test stub hidden. */
    private static <T> T withoutClusterBackend(java.util.function.Supplier<T> work) {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        String service = "META-INF/services/" + dev.prompttune.core.run.ClusterBackend.class.getName();
        thread.setContextClassLoader(new ClassLoader(before) {
            @Override
            public java.util.Enumeration<java.net.URL> getResources(String name) throws java.io.IOException {
                return name.equals(service) ? java.util.Collections.emptyEnumeration() : super.getResources(name);
            }
        });
        try {
            return work.get();
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    @Test
    void aRealClusterNeedsItsWorkers() {
        expect("promptTune {\n  model 'tiny'; data 'markers'\n  cluster { master 'spark://head:7077' }\n}\n", 3,
                "cluster workers is missing for master 'spark://head:7077'; allowed: workers N (tasks per step) in "
                        + "cluster { master 'spark://head:7077'; workers N }; only local[N] implies it");
    }
}
