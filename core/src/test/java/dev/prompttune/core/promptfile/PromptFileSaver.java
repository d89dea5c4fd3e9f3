package dev.prompttune.core.promptfile;

import java.nio.file.Path;
import java.util.Map;

/**
 * Child-process body for {@link PromptFileCrashTest}: saves {@code DIR/NAME} over and over, version after version
 * (every value = the version, metadata hyper-parameter "version" too), printing "saved V" after each complete save.
 * Args: DIR NAME FIRST_VERSION P H.
 */
public final class PromptFileSaver {

    private PromptFileSaver() {}

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        String name = args[1];
        long version = Long.parseLong(args[2]);
        int p = Integer.parseInt(args[3]);
        int h = Integer.parseInt(args[4]);
        float[] values = new float[p * h];
        while (true) {
            java.util.Arrays.fill(values, version);
            PromptMetadata meta = PromptMetadata.builder().baseModel("crash-test").task("t")
                    .hyperParameter("version", version).versions(Map.of("prompttune", "test")).build();
            PromptFile.save(dir, name, values, p, h, meta);
            System.out.println("saved " + version);
            System.out.flush();
            version++;
        }
    }
}
