package dev.prompttune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plain run on a CPU machine prints no engine warnings: neither DJL's CUDA probe ("Failed to detect GPU count")
 * nor PyTorch's C++ warnings ("[W1205 …] Warning: AutoNonVariableTypeMode is deprecated"). The CLI runs in a child
 * JVM, as a user starts it, so the engine starts afresh and its native output is seen. A GPU that the script asks
 * for and that is missing is still reported.
 */
class QuietEngineTest {

    @TempDir
    static Path tmp;
    static Path home;

    /** slf4j-simple's warning lines, and c10's native log lines ([W…], [E…] with a date). */
    private static final Pattern ENGINE_NOISE = Pattern.compile("^\\[(WARN|ERROR)\\]|^\\[[WEF]\\d{4} |Warning: |GPU count");

    record Result(int status, String out, String err) {}

    @BeforeAll
    static void home() throws Exception {
        home = dev.prompttune.dsl.TestHomes.tiny();
    }

    private static Result cli(String... args) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new java.util.ArrayList<>(List.of(java.toString(), "-Dai.djl.offline=true",
                "-Dprompttune.home=" + home, "-cp", System.getProperty("java.class.path"), PromptTuneCli.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the CLI did not finish");
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static void assertNoEngineNoise(Result r) {
        for (String line : (r.out() + "\n" + r.err()).lines().toList()) {
            assertTrue(!ENGINE_NOISE.matcher(line).find(), "engine warning printed: " + line + "\n--- stderr:\n" + r.err());
        }
    }

    @Test
    void aPlainRunPrintsNoEngineWarnings() throws Exception {
        Path script = Files.writeString(tmp.resolve("tiny.groovy"), """
                promptTune {
                    model 'tiny'; data 'markers'; length 2; steps 3; batch 4; evalEvery 0
                    baselines 'majority'
                    save 'runs'
                }
                """);
        Result r = cli("run", "--threads", "1", script.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("record: "), r.out());
        assertNoEngineNoise(r);
        assertEquals("", r.err(), "nothing on stderr");
    }

    /** The residual reparameterisation restores its MLP's best values in place: that write must be quiet too. */
    @Test
    void aResidualRunThatRestoresItsBestStatePrintsNoEngineWarnings() throws Exception {
        Path script = Files.writeString(tmp.resolve("residual.groovy"), """
                promptTune {
                    model 'tiny'; data 'markers'; length 2; steps 4; batch 4; evalEvery 1
                    reparam 'residual'
                    baselines 'majority'
                    save 'runs-residual'
                }
                """);
        Result r = cli("run", "--threads", "1", script.toString());
        assertEquals(0, r.status(), r.err());
        assertNoEngineNoise(r);
    }

    @Test
    void aMissingGpuThatWasAskedForIsStillReported() throws Exception {
        Path script = Files.writeString(tmp.resolve("gpu.groovy"), """
                promptTune {
                    model 'tiny'; data 'markers'; length 2; steps 3; evalEvery 0
                    device 'gpu'
                }
                """);
        Result r = cli("run", "--threads", "1", script.toString());
        assertEquals(PromptTuneCli.USER_ERROR, r.status(), r.out() + r.err());
        assertTrue(r.err().contains("device 'gpu' requested but PyTorch sees no GPU"), r.err());
        assertNoEngineNoise(r);
    }
}
