package dev.prompttune.core.io;

import dev.prompttune.core.PromptTuneException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * What a path that should be a file (or a folder) actually is, in words for error messages: missing, a directory, a
 * symbolic link loop, a broken link, a device. So a message says {@code data file d is a directory}, never a wrong
 * {@code does not exist}.
 */
public final class PathProblems {

    private PathProblems() {}

    /** Null when {@code p} is a regular file (after links), else what it is: "does not exist", "is a directory", … */
    public static String notRegularFile(Path p) {
        if (Files.isRegularFile(p)) {
            return null;
        }
        if (Files.isDirectory(p)) {
            return "is a directory";
        }
        return notThere(p, "is not a regular file (a device, pipe or socket)");
    }

    /** Null when {@code p} is a directory (after links), else what it is: "does not exist", "is a file", … */
    public static String notDirectory(Path p) {
        if (Files.isDirectory(p)) {
            return null;
        }
        if (Files.isRegularFile(p)) {
            return "is a file, not a folder";
        }
        return notThere(p, "is not a folder (a device, pipe or socket)");
    }

    /**
     * Refuses a folder that exists but cannot be listed or entered ({@code model directory D cannot be read (permission
     * denied)}); anything else passes, for the caller's own checks. Without it, a file inside an unreadable folder
     * looks missing, and errors said "has no config.json".
     *
     * @param what what the folder is, for the message ({@code model directory}, {@code data folder})
     */
    public static void requireReadableFolder(Path dir, String what) {
        if (Files.isDirectory(dir) && !(Files.isReadable(dir) && Files.isExecutable(dir))) {
            throw new PromptTuneException(what + " " + dir + " cannot be read (permission denied)");
        }
    }

    /**
     * The path a user gave as text, refused when the text is empty or blank: {@code Path.of("")} is the current
     * folder, so an empty setting read from or wrote into whatever folder the command ran in (an adapter exported
     * into it, a run record saved there), and errors named it as nothing ({@code data file  is a directory}).
     *
     * @param what what the path is, for the message ({@code run record}, {@code init file})
     * @param allowed what it may be, for the message
     */
    public static Path given(String value, String what, String allowed) {
        if (value == null || value.isBlank()) {
            throw new PromptTuneException(what + " is " + blank(value) + "; allowed: " + allowed);
        }
        return Path.of(value);
    }

    /** "an empty path", "a blank path ('  ')" or "null": how {@link #given} names a path that is none. */
    public static String blank(String value) {
        return value == null ? "null" : value.isEmpty() ? "an empty path" : "a blank path ('" + value + "')";
    }

    /**
     * {@code p} itself when it is a regular file, else an error such as {@code data file d is a directory; allowed: a
     * file} or {@code script s.groovy does not exist}; an empty path is named so, not taken for the current folder.
     */
    public static Path requireFile(Path p, String what) {
        if (p.toString().isBlank()) {
            throw new PromptTuneException(what + " is " + blank(p.toString()) + "; allowed: a file");
        }
        String problem = notRegularFile(p);
        if (problem != null) {
            throw new PromptTuneException(sentence(what + " " + p, problem, "a file"));
        }
        return p;
    }

    /**
     * {@code SUBJECT PROBLEM; allowed: ALLOWED}, without the allowed part when the path does not exist: then the
     * path itself is the mistake, and what it should be is clear from the subject.
     */
    public static String sentence(String subject, String problem, String allowed) {
        return subject + " " + problem + (problem.startsWith("does not exist") ? "" : "; allowed: " + allowed);
    }

    /** An I/O error on {@code p} in words, without exception class names. */
    public static String describe(Path p, IOException e) {
        if (e instanceof NoSuchFileException n) {
            // The missing one may be a folder above p (writing /a/b/x when /a/b does not exist).
            return (n.getFile() != null ? n.getFile() : p.toString()) + " does not exist";
        }
        if (e instanceof FileAlreadyExistsException f) {
            Path there = Path.of(f.getFile());
            return there + (Files.isDirectory(there) ? " already exists" : " is a file, not a folder");
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        for (Path up = p.toAbsolutePath().getParent(); up != null; up = up.getParent()) {
            if (Files.isRegularFile(up)) {
                // The OS says only "Not a directory"; the file in the way is what the user has to move.
                return up + " is a file, not a folder";
            }
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() == null ? "I/O error" : e.getMessage();
    }

    /**
     * Why files cannot be made at {@code p} (a folder, or a file's path), or null when they can as far as can be told
     * before writing: the nearest existing folder on its path is not writable by this user (read-only, permission
     * denied), or a part of the path is a file.
     */
    public static String cannotCreate(Path p) {
        Path existing = p.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            String tooLong = nameTooLong(existing);
            if (tooLong != null) {
                return tooLong;
            }
            existing = existing.getParent();
        }
        if (existing == null) {
            return null;
        }
        if (!Files.isDirectory(existing)) {
            return existing.equals(p.toAbsolutePath()) ? null : existing + " is a file, not a folder";
        }
        if (!Files.isWritable(existing)) {
            return (existing.equals(p.toAbsolutePath()) ? "the folder" : "its nearest existing folder " + existing)
                    + " cannot be written (read-only or permission denied)";
        }
        return null;
    }

    /** The longest name one path element may have on Linux file systems (NAME_MAX), in bytes. */
    static final int MAX_NAME_BYTES = 255;

    /**
     * Why a folder or file named as {@code p}'s last element cannot be made because the name is too long ("File name
     * too long" came only when the run wrote its record), or null.
     */
    private static String nameTooLong(Path p) {
        Path name = p.getFileName();
        int bytes = name == null ? 0 : name.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes <= MAX_NAME_BYTES) {
            return null;
        }
        String shown = name.toString().codePoints().limit(20)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append) + "…";
        return "the name " + shown + " in it is " + bytes + " bytes long (at most " + MAX_NAME_BYTES + " per name)";
    }

    /** For a path that is neither a regular file nor a directory after links. */
    private static String notThere(Path p, String otherwise) {
        if (Files.isSymbolicLink(p) && !Files.exists(p)) {
            try {
                p.toRealPath();
            } catch (NoSuchFileException e) {
                return "is a broken symbolic link (its target does not exist)";
            } catch (IOException e) {
                return "is a symbolic link loop";
            }
        }
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            Path parent = p.toAbsolutePath().getParent();
            if (parent != null && Files.isRegularFile(parent)) {
                return "does not exist (" + parent + " is a file, not a folder)";
            }
            return "does not exist";
        }
        return otherwise;
    }
}
