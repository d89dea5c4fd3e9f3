package dev.prompttune.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An input the user may not read (a model, tokenizer, data file or folder of a colleague's, mode 000) is named with
 * "permission denied": not with the exception's bare path ("cannot read X: X"), an exception class, or a wrong
 * "has no config.json" / "is not a registered task" for a folder that cannot be listed.
 * <p>
 * The reads run in a child JVM, subject to permissions even as root ({@link FilePermissions}).
 */
class UnreadableInputsTest {

    @TempDir
    Path tmp;

    @Test
    void eachUnreadableInputIsNamedWithPermissionDenied() throws Exception {
        List<String> prefix = FilePermissions.enforcedPrefix(tmp);
        Path model = Files.createDirectories(tmp.resolve("model"));
        Path config = Files.writeString(model.resolve("config.json"), "{}");
        Path weights = Files.write(model.resolve("model.safetensors"), new byte[16]);
        Path tokenizer = Files.writeString(model.resolve("tokenizer.json"), "{}");
        Path closedModel = Files.createDirectories(tmp.resolve("closed-model"));
        Files.writeString(closedModel.resolve("config.json"), "{}");
        Path task = Files.createDirectories(tmp.resolve("task"));
        Path train = Files.writeString(task.resolve("train.jsonl"), "{\"text\": \"a\", \"label\": \"x\"}\n");
        Path closedTask = Files.createDirectories(tmp.resolve("closed-task"));
        Files.writeString(closedTask.resolve("task.json"), "{}");

        for (Path p : List.of(config, weights, tokenizer, train, closedModel, closedTask)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("---------"));
        }
        try {
            expectDenied(prefix, "config", model, "cannot read " + config + ": permission denied");
            expectDenied(prefix, "weights", weights, weights + ": cannot open: permission denied");
            expectDenied(prefix, "tokenizer", tokenizer, "cannot read tokenizer " + tokenizer + ": permission denied");
            expectDenied(prefix, "examples", train, train + " cannot be read: permission denied");
            expectDenied(prefix, "model", closedModel, "model directory " + closedModel + " cannot be read (permission denied)");
            expectDenied(prefix, "config", closedModel, "model directory " + closedModel + " cannot be read (permission denied)");
            expectDenied(prefix, "task", closedTask, "data folder " + closedTask + " cannot be read (permission denied)");
        } finally {
            for (Path p : List.of(closedModel, closedTask)) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------")); // so @TempDir can go
            }
        }
    }

    private void expectDenied(List<String> prefix, String kind, Path input, String message) throws Exception {
        String out = read(prefix, kind, input);
        assertEquals(message, out, kind + " " + input);
        assertFalse(out.contains("Exception"), out);
    }

    /** The child's one line for reading {@code input} as {@code kind}. */
    private String read(List<String> prefix, String kind, Path input) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), ChildInputReader.class.getName(), kind, input.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        String[] lines = out.split("\n");
        return lines[lines.length - 1];
    }
}
