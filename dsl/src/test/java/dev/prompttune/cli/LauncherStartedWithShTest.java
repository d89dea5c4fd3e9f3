package dev.prompttune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sh bin/prompttune run …}, as a newcomer may type it, runs the command: the launcher starts itself again with
 * bash. Under Debian's sh (dash) it stopped at once with "set: Illegal option -o pipefail"; bash in POSIX mode ({@code
 * bash --posix}, or bash installed as sh) is started again without it.
 */
class LauncherStartedWithShTest {

    @TempDir
    Path tmp;

    @Test
    void shAndPosixBashRunTheLauncherWithBash() throws Exception {
        LauncherCopy launcher = new LauncherCopy(tmp).built();
        launcher.stub("java", "echo \"stand-in ran: $*\"");
        for (List<String> shell : List.of(List.of("sh"), List.of("bash", "--posix"))) {
            List<String> command = new java.util.ArrayList<>(shell);
            command.addAll(List.of(launcher.root.resolve("bin/prompttune").toString(), "--help"));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().put("PATH", launcher.stubs() + ":" + System.getenv("PATH"));
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
            assertEquals(0, p.exitValue(), shell + ": " + out);
            assertTrue(out.contains("stand-in ran:") && out.contains("--help"), shell + ": " + out);
        }
    }

    /** Every script a person runs carries the same first lines (they cannot be sourced: they must come first). */
    @Test
    void everyBashCommandOfTheRepositoryStartsItselfAgainUnderSh() throws Exception {
        Path repo = dev.prompttune.dsl.TestHomes.repo();
        List<String> commands = List.of(".ci/run", "bin/prompttune", "bin/prompttune-tools", "bin/test", "bin/soak",
                "bin/ci-throttled", "bin/notebooks", "models/build-t5-mini-wide.sh", "models/probe.sh");
        for (String c : commands) {
            String text = Files.readString(repo.resolve(c));
            int guard = text.indexOf("then exec bash \"$0\" \"$@\"; fi");
            assertTrue(guard > 0 && guard < text.indexOf("set -euo pipefail"), c + " starts itself again with bash first");
        }
    }
}
