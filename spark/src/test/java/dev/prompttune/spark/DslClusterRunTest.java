package dev.prompttune.spark;

import dev.prompttune.core.promptfile.PromptFile;
import dev.prompttune.core.run.Session;
import dev.prompttune.dsl.Experiments;
import dev.prompttune.dsl.ScriptRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Black box, through the DSL: {@code cluster 'local[2]'; gradientAccumulation 1} writes the same record prompt, bit
 * for bit, as {@code gradientAccumulation 2} without a cluster.
 */
@ExtendWith(TinyHome.class)
class DslClusterRunTest {

    @TempDir
    static Path tmp;

    @Test
    void aClusterScriptWritesTheSingleProcessPrompt() throws IOException {
        float[] cluster = recordPrompt("cluster", "cluster 'local[2]'; gradientAccumulation 1");
        float[] single = recordPrompt("single", "gradientAccumulation 2");
        TinyRuns.assertSameBits(single, cluster, "record prompt");
    }

    private static float[] recordPrompt(String name, String settings) throws IOException {
        Path save = tmp.resolve(name);
        String script = """
                promptTune {
                    model 'tiny'; data 'markers'; length 4; init 'random'; steps 3; batch 4; evalEvery 3
                    dropout 0.1; seed 5; baselines(); save '%s'
                    %s
                }
                """.formatted(save, settings);
        try (Session session = new Session()) {
            new ScriptRunner(new Experiments(session)).run(script, name + ".groovy");
        }
        try (Stream<Path> records = Files.list(save)) {
            List<Path> dirs = records.toList();
            assertEquals(1, dirs.size(), dirs.toString());
            return PromptFile.load(dirs.get(0).resolve("prompt.safetensors")).values();
        }
    }
}
