package dev.prompttune.tools.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.io.FilePermissions;
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
 * The encoder-reading probe's inputs, each refused in one line before anything is probed: a model folder that does
 * not exist (it said "is not a checkpoint directory (no config.json)"), and a corpus the user may not read (it said
 * "cannot read the corpus c.txt: c.txt"). The probe's main runs in a child JVM, as {@code prompttune-tools probe}.
 */
class ProbeInputsTest {

    @TempDir
    Path tmp;

    @Test
    void aMissingModelFolderIsNamedAsMissing() throws Exception {
        Path missing = tmp.resolve("no-model");
        assertEquals("probe: model directory " + missing + " does not exist", probe(List.of(), missing.toString()));
    }

    @Test
    void anUnreadableCorpusIsNamedWithPermissionDenied() throws Exception {
        List<String> prefix = FilePermissions.enforcedPrefix(tmp);
        Path corpus = Files.writeString(tmp.resolve("c.txt"), "a b c\n");
        Files.setPosixFilePermissions(corpus, PosixFilePermissions.fromString("---------"));
        assertEquals("probe: cannot read the corpus " + corpus + ": permission denied",
                probe(prefix, "--corpus", corpus.toString(), repo().resolve("models/t5-mini-ppmi").toString()));
    }

    /** The probe's last line of output; it must exit 2. */
    private static String probe(List<String> prefix, String... args) throws Exception {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dprompttune.home=" + repo(), "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                EncoderReadingProbe.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        assertEquals(2, p.exitValue(), out);
        String[] lines = out.split("\n");
        return lines[lines.length - 1];
    }

    /** The repository root (surefire runs in the module's folder). */
    private static Path repo() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("models/t5-mini-ppmi"))) {
            dir = dir.getParent();
        }
        return dir;
    }
}
