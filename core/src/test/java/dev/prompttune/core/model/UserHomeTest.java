package dev.prompttune.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A usable home for the libraries that cache under {@code user.home}: a container user without a password-file entry
 * gets {@code user.home = "?"} from Java, and DJL unpacked 445 MB of natives into a folder named "?" in the current
 * folder (measured: {@code setpriv --reuid=12345 bin/prompttune run …}).
 */
class UserHomeTest {

    @TempDir
    Path tmp;

    private static Properties home(String userHome) {
        Properties p = new Properties();
        p.setProperty("user.home", userHome);
        return p;
    }

    @Test
    void aUsableHomeIsKept() throws Exception {
        Path mine = Files.createDirectory(tmp.resolve("alice"));
        assertEquals(mine, UserHome.usable(Map.of("HOME", "/elsewhere"), home(mine.toString()), tmp, "1000"));
    }

    @Test
    void withoutAPasswordEntryHomeIsUsed() throws Exception {
        Path envHome = Files.createDirectory(tmp.resolve("home"));
        assertEquals(envHome, UserHome.usable(Map.of("HOME", envHome.toString()), home("?"), tmp, "12345"));
    }

    @Test
    void withNeitherAPrivateFolderUnderTmpIsMade() throws Exception {
        for (Map<String, String> env : java.util.List.of(Map.<String, String>of(), Map.of("HOME", "relative/home"),
                Map.of("HOME", "/nonexistent"))) {
            Path got = UserHome.usable(env, home("?"), tmp, String.valueOf(Files.getAttribute(tmp, "unix:uid")));
            assertEquals(tmp.resolve("prompttune-home-" + Files.getAttribute(tmp, "unix:uid")), got, env.toString());
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(got)));
        }
    }

    /** A folder of that name that another user made first is not used: its owner could replace the natives. */
    @Test
    void someoneElsesFolderOfThatNameIsNotUsed() throws Exception {
        Files.createDirectory(tmp.resolve("prompttune-home-4242"));
        Path got = UserHome.usable(Map.of(), home("?"), tmp, "4242"); // this process is not uid 4242
        assertNotEquals(tmp.resolve("prompttune-home-4242"), got);
        assertTrue(got.getFileName().toString().startsWith("prompttune-home-") && Files.isDirectory(got), got.toString());
    }
}
