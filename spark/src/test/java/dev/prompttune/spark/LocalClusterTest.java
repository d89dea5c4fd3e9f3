package dev.prompttune.spark;

import dev.prompttune.core.run.Session;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the local-mode cluster tests share: a tiny model and task in a temp folder ({@link TinyRuns}), one session for
 * the class, no fault plan left behind by a test, and the Spark context stopped when the class is done.
 */
abstract class LocalClusterTest {

    @TempDir
    static Path tmp;
    static TinyRuns world;
    static Session session;

    @BeforeAll
    static void startWorld() throws Exception {
        world = new TinyRuns(tmp);
        session = new Session();
    }

    @AfterEach
    void noFaults() {
        FaultInjection.plan = null;
    }

    @AfterAll
    static void stopWorld() {
        session.close();
        SparkContexts.stop();
    }
}
