package dev.prompttune.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;

/**
 * Write-then-rename: readers see either the old file or the complete new one, never a half-written file, even
 * if the process dies mid-write (a crash during training must not destroy the last good checkpoint).
 * <p>
 * A pending thread interrupt is held back while writing: FileChannel is an interruptible channel, so a thread
 * whose interrupt flag is set (a notebook's stop button pressed during training) would otherwise fail with
 * ClosedByInterruptException exactly when it saves the best prompt. An interrupt that arrives during the write closes
 * the channel: the write starts over (a few times at most) with the interrupt held back. The flag is restored
 * afterwards, so the interrupt still stops the run, at its next step.
 * <p>
 * Temp files: {@code .NAME.<pid>.<random>.tmp} beside the target (hidden, so no {@code NAME.*} pattern matches them).
 * A process that exits mid-write (a second Ctrl-C, {@code System.exit}) deletes its own on the way out; one killed
 * outright (SIGKILL) cannot, so {@link #removeStaleTemps} deletes those whose process is gone (its id unused, or
 * used by a process that started after the file was written): every write does it
 * for its own target, and run records do it for their folders.
 */
public final class AtomicFiles {

    private static final String SUFFIX = ".tmp";
    /** How often a write cut short by an interrupt arriving mid-write starts over. */
    private static final int INTERRUPTED_WRITE_ATTEMPTS = 3;
    private static final long PID = ProcessHandle.current().pid();
    /** Temp files being written now; guarded by itself. */
    private static final Set<Path> IN_FLIGHT = new HashSet<>();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static boolean exiting;

    static {
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(AtomicFiles::abandonInFlight, "prompttune-temp-cleanup"));
        } catch (IllegalStateException alreadyExiting) {
            exiting = true;
        }
    }

    private AtomicFiles() {}

    /** Fills a channel; may throw anything, the temp file is removed and the target left untouched. */
    public interface Body {
        void write(FileChannel channel) throws IOException;
    }

    public static void write(Path target, Body body) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    writeUninterrupted(target, body);
                    return;
                } catch (ClosedByInterruptException e) {
                    // The interrupt is meant for the run (it stops at its next step), not for this file.
                    interrupted |= Thread.interrupted();
                    if (attempt == INTERRUPTED_WRITE_ATTEMPTS) {
                        throw e;
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Writes {@code bytes} to {@code target} atomically. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, channel -> writeFully(channel, ByteBuffer.wrap(bytes)));
    }

    private static void writeUninterrupted(Path target, Body body) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        removeStaleTemps(dir, "." + absolute.getFileName() + ".");
        // Same directory: a rename within one file system is atomic; a temp dir elsewhere might not be.
        Path temp = createTemp(dir, absolute.getFileName().toString());
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                body.write(channel);
                channel.force(true); // data on disk before the rename makes it visible
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            syncDirectory(dir);
        } finally {
            synchronized (IN_FLIGHT) {
                IN_FLIGHT.remove(temp);
            }
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** A new temp file for {@code name}, registered so an exit mid-write removes it; none once the JVM is exiting. */
    private static Path createTemp(Path dir, String name) throws IOException {
        synchronized (IN_FLIGHT) {
            if (exiting) {
                throw new IOException("not writing " + dir.resolve(name) + ": the process is exiting");
            }
            // Not Files.createTempFile: its files are private (0600) and the rename would keep that, so records
            // shared with a team would be unreadable to it. createFile gives a new file the process's usual
            // permissions (the umask), as any other file the run writes.
            while (true) {
                Path temp = dir.resolve("." + name + "." + PID + "." + Long.toUnsignedString(RANDOM.nextLong()) + SUFFIX);
                try {
                    Files.createFile(temp);
                } catch (FileAlreadyExistsException taken) {
                    continue;
                }
                IN_FLIGHT.add(temp);
                return temp;
            }
        }
    }

    /**
     * Deletes every temp file being written now and refuses new ones: what an exit does on the way out (the shutdown
     * hook), and what {@link dev.prompttune.core.run.ProcessExit#now} does before ending the process without hooks.
     */
    public static void abandonInFlight() {
        synchronized (IN_FLIGHT) {
            exiting = true;
            for (Path temp : IN_FLIGHT) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort: the next write or record load removes it (removeStaleTemps)
                }
            }
            IN_FLIGHT.clear();
        }
    }

    /** Deletes temp files in {@code dir} left by processes that no longer run (killed mid-write); returns how many. */
    public static int removeStaleTemps(Path dir) {
        return removeStaleTemps(dir, ".");
    }

    private static int removeStaleTemps(Path dir, String prefix) {
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, p -> {
            String n = p.getFileName().toString();
            return n.startsWith(prefix) && n.endsWith(SUFFIX);
        })) {
            for (Path f : files) {
                long pid = writerPid(f.getFileName().toString());
                if (pid > 0 && writerGone(f, pid) && Files.deleteIfExists(f)) {
                    removed++;
                }
            }
        } catch (IOException ignored) {
            // an unreadable folder: nothing to clean that this process could clean
        }
        return removed;
    }

    /**
     * Whether the process that wrote temp file {@code f} ({@code pid} in its name) is gone. Process ids are reused (in
     * a container every start may get the same ones): this process is not the writer unless it is writing the file
     * now, and another live process is not when it started after the file was last written.
     */
    private static boolean writerGone(Path f, long pid) throws IOException {
        if (pid == PID) {
            synchronized (IN_FLIGHT) {
                // By name: the random part makes it unique, however the folder was spelt.
                return IN_FLIGHT.stream().noneMatch(t -> t.getFileName().equals(f.getFileName()));
            }
        }
        java.util.Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty()) {
            return true;
        }
        java.util.Optional<java.time.Instant> started = process.get().info().startInstant();
        return started.isPresent() && started.get().isAfter(Files.getLastModifiedTime(f).toInstant());
    }

    /** The writer's process id in {@code .NAME.<pid>.<random>.tmp}, or -1 when the name has none. */
    static long writerPid(String tempName) {
        String[] parts = tempName.substring(0, tempName.length() - SUFFIX.length()).split("\\.");
        if (parts.length < 4) {
            return -1;
        }
        try {
            Long.parseUnsignedLong(parts[parts.length - 1]);
            return Long.parseLong(parts[parts.length - 2]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** FileChannel.write may write less than asked: loop until the buffer is drained. */
    public static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** Makes the rename itself durable; best effort (not every OS lets a directory be opened). */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // the file is complete either way; only durability across a power cut is weaker
        }
    }
}
