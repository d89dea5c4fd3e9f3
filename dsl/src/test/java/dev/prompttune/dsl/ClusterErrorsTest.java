package dev.prompttune.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.run.Session;
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

    @Test
    void aRealClusterNeedsItsWorkers() {
        expect("promptTune {\n  model 'tiny'; data 'markers'\n  cluster { master 'spark://head:7077' }\n}\n", 3,
                "cluster workers is missing for master 'spark://head:7077'; allowed: workers N (tasks per step) in "
                        + "cluster { master 'spark://head:7077'; workers N }; only local[N] implies it");
    }
}
