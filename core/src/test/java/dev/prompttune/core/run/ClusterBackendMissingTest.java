package dev.prompttune.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.spec.PromptTuneSpec;
import dev.prompttune.core.testing.TinyWorld;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Core alone (no spark module on its class path): a cluster run fails before any weights load, saying why. */
class ClusterBackendMissingTest {

    @TempDir
    Path tmp;

    @Test
    void aClusterSpecWithoutABackendFailsBeforeWeightsLoad() throws Exception {
        assertNull(ClusterBackends.find(), "core's own tests have no cluster backend on the class path");
        Path model = TinyWorld.model(Files.createDirectory(tmp.resolve("model")));
        Path train = TinyWorld.split(tmp.resolve("train.jsonl"), 20, 1);
        PromptTuneSpec spec = PromptTuneSpec.builder().model(model.toString()).train(train).template("classify: {text}")
                .labels(Map.of("a", "good", "b", "never")).length(3).steps(2).batch(4).cluster("local[2]")
                .save(tmp.resolve("runs")).build();
        try (Session session = new Session()) {
            String message = assertThrows(PromptTuneException.class,
                    () -> new PromptTuning(session).execute(spec, List.of())).getMessage();
            assertTrue(message.startsWith("cluster 'local[2]' needs the prompttune-spark module on the class path"), message);
            assertTrue(message.contains("allowed: no cluster setting (single process), or build the spark module"), message);
            assertTrue(!message.contains("\n"), message);
            assertEquals(0, session.modelLoads(), "no weights were loaded");
            assertTrue(!Files.exists(tmp.resolve("runs")), "no record was started");
        }
    }
}
