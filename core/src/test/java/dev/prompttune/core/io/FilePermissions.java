package dev.prompttune.core.io;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * For tests of what a user sees when file permissions stop them (an unreadable input, a folder that cannot be
 * written): the command prefix that makes a child process subject to permissions. None for a user; for root (CI),
 * {@code setpriv} without the capabilities that override them. The child stays root, so it still reads this build's
 * class path and the owner's bits apply to it.
 */
public final class FilePermissions {

    private FilePermissions() {}

    /** The prefix; skips the test where it cannot be had (root without setpriv, or a file system without POSIX modes). */
    public static List<String> enforcedPrefix(Path tmp) throws IOException {
        assumeTrue(Files.getFileStore(tmp).supportsFileAttributeView("posix"), "POSIX permissions");
        if ((Integer) Files.getAttribute(tmp, "unix:uid") != 0) {
            return List.of();
        }
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "setpriv (util-linux) to drop root's DAC override");
        return List.of("/usr/bin/setpriv", "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search");
    }
}
