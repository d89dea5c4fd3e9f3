package dev.prompttune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/prompttune rebuilds when, and only when, a main source or POM changed since its last successful build. It
 * used to compare sources with the jars' times, but Maven leaves an unchanged module jar untouched: with the Spark jar
 * built once and unchanged since, every command rebuilt (about 10 s each).
 */
class LauncherRebuildTest {

    @TempDir
    Path tmp;

    @Test
    void rebuildsOnlyAfterAMainSourceChanged() throws Exception {
        LauncherCopy launcher = new LauncherCopy(tmp);
        Path main = write(launcher.root.resolve("core/src/main/java/A.java"), Instant.now().minusSeconds(600));
        Path test = write(launcher.root.resolve("core/src/test/java/ATest.java"), Instant.now().minusSeconds(600));

        String first = launcher.run(Map.of(), "--help");
        assertTrue(first.contains("building (first use or sources changed)"), "no stamp yet: builds. " + first);
        assertEquals(1, mvnCalls(launcher));
        assertTrue(Files.exists(launcher.root.resolve("dsl/target/.prompttune-built-dsl")), "a build leaves its stamp");

        launcher.run(Map.of(), "--help");
        assertEquals(1, mvnCalls(launcher), "nothing changed: no rebuild");

        Files.setLastModifiedTime(test, FileTime.from(Instant.now().plusSeconds(60)));
        launcher.run(Map.of(), "--help");
        assertEquals(1, mvnCalls(launcher), "test sources are not in the jars: no rebuild");

        Files.setLastModifiedTime(main, FileTime.from(Instant.now().plusSeconds(60)));
        String changed = launcher.run(Map.of(), "--help");
        assertEquals(2, mvnCalls(launcher), "a main source changed: rebuild. " + changed);
        assertTrue(Files.readString(launcher.mvnArgs).contains("-Dstyle.color=never"), "no colour codes in the build's output");
    }

    private static Path write(Path file, Instant time) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "class X {}");
        Files.setLastModifiedTime(file, FileTime.from(time));
        return file;
    }

    /** How many times the stand-in mvn ran (each run records its arguments, "package" among them). */
    private static long mvnCalls(LauncherCopy launcher) throws Exception {
        return Files.exists(launcher.mvnArgs)
                ? Files.readAllLines(launcher.mvnArgs).stream().filter("package"::equals).count() : 0;
    }
}
