package dev.prompttune.tools;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.PathProblems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Command-line values of the build tools that hand their arguments to a tool's own {@code main}. */
public final class ToolArgs {

    private ToolArgs() {}

    /**
     * {@code value} as an int, or an error naming {@code what} and the value (not a NumberFormatException's trace).
     */
    public static int integer(String what, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new PromptTuneException(what + " is '" + value + "'; allowed: a whole number"
                    + (value.strip().matches("[+-]?[0-9]+") ? " from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE : ""));
        }
    }

    /** {@link #integer(String, String)} that is at least {@code min}. */
    public static int integer(String what, String value, int min) {
        int n;
        try {
            n = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            // Digits past an int: the upper bound is what they miss; anything else is no number at all.
            throw new PromptTuneException(what + " is '" + value + "'; allowed: a whole number "
                    + (value.strip().matches("\\+?[0-9]+") ? "from " + min + " to " + Integer.MAX_VALUE : ">= " + min));
        }
        if (n < min) {
            throw new PromptTuneException(what + " is '" + value + "'; allowed: a whole number >= " + min);
        }
        return n;
    }

    /** {@code true} or {@code false}, nothing else (a typo is not silently false). */
    public static boolean bool(String what, String value) {
        if (!value.equals("true") && !value.equals("false")) {
            throw new PromptTuneException(what + " is '" + value + "'; allowed: true or false");
        }
        return value.equals("true");
    }

    /**
     * Refuses an output folder the tool could not write, before any work: a build that trains first and fails at its
     * first write loses everything up to it. The folder may exist or not; whatever this makes to find out (the folder,
     * folders above it, a probe file) is removed again, so a refused or later failing command leaves nothing behind.
     *
     * @param what how the user gave it ("--out", "OUT_DIR")
     */
    public static void requireWritableFolder(String what, Path dir) {
        String allowed = "; allowed: a folder this user can create and write (new or existing)";
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new PromptTuneException(what + " " + dir + " is a file" + allowed);
        }
        // Read-only folders and files in the way, as far as can be told without writing ...
        String problem = PathProblems.cannotCreate(dir);
        if (problem != null) {
            throw new PromptTuneException(what + " " + dir + " cannot be created: " + problem + allowed);
        }
        // ... but root passes every permission check, and file systems such as /proc refuse new entries without
        // saying so in their modes: only a write tells.
        List<Path> made = new ArrayList<>();
        for (Path p = dir.toAbsolutePath(); p != null && !Files.exists(p); p = p.getParent()) {
            made.add(p);
        }
        Path probe = null;
        try {
            for (int i = made.size() - 1; i >= 0; i--) {
                try {
                    Files.createDirectory(made.get(i));
                } catch (NoSuchFileException e) {
                    // Its parent exists (made just now or before): the file system itself refuses a new folder here.
                    throw new PromptTuneException(what + " " + dir + " cannot be created: " + made.get(i).getParent()
                            + " does not take new folders (a virtual or special file system)" + allowed);
                }
            }
            probe = Files.createTempFile(dir, ".prompttune-write-check", ".tmp");
        } catch (IOException e) {
            throw new PromptTuneException(what + " " + dir + " cannot be written: " + PathProblems.describe(dir, e) + allowed);
        } finally {
            try {
                if (probe != null) {
                    Files.deleteIfExists(probe);
                }
                for (Path p : made) { // deepest first
                    Files.deleteIfExists(p);
                }
            } catch (IOException ignored) {
                // Cleanup only: an empty folder left behind is what the command would have made anyway.
            }
        }
    }
}
