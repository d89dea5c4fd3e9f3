package dev.prompttune.core.run;

import dev.prompttune.core.PromptTuneException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * One writer per run record. A run holds an OS file lock on its record's {@code spec.json} (a file no run rewrites,
 * so every writer locks the same file) from before it changes the record until it has finished it; the lock goes with
 * the process, so a killed run leaves none. Without it, {@code prompttune resume} of a record whose run was still
 * going (in another terminal, another notebook), or two resumes started together, wrote one record's metrics,
 * checkpoint and summary over each other.
 * <p>
 * The records this process writes are also kept in a set, and are never probed through a second channel: closing any
 * channel of a file drops all of the process's POSIX locks on it.
 */
final class RecordWriterLock {

    /** The records this process writes now (absolute, normalised); guarded by itself. */
    private static final Set<Path> HELD = new HashSet<>();

    private final Path dir;
    private final FileChannel channel;

    private RecordWriterLock(Path dir, FileChannel channel) {
        this.dir = dir;
        this.channel = channel;
    }

    /**
     * Locks {@code dir} for this process; throws naming the record when another run holds it. Where the file system
     * has no locks, or spec.json cannot be opened for writing, there is no lock to take and the run goes on as before.
     */
    static RecordWriterLock take(Path dir) {
        Path key = key(dir);
        synchronized (HELD) {
            if (HELD.contains(key)) {
                throw stillRunning(dir);
            }
            // A FileChannel is interruptible: with the thread's interrupt flag set (a notebook's stop button pressed
            // just now) it would close at once. The flag is held back while the lock is taken.
            boolean interrupted = Thread.interrupted();
            FileChannel channel = null;
            try {
                channel = FileChannel.open(dir.resolve("spec.json"), StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    channel.close();
                    throw stillRunning(dir);
                }
                HELD.add(key);
                return new RecordWriterLock(dir, channel);
            } catch (OverlappingFileLockException sameProcess) {
                closeQuietly(channel);
                throw stillRunning(dir);
            } catch (IOException noLocks) {
                closeQuietly(channel);
                return new RecordWriterLock(dir, null);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Ends the lock (closing its channel); again is harmless. */
    void release() {
        synchronized (HELD) {
            if (channel != null && channel.isOpen()) {
                closeQuietly(channel);
                HELD.remove(key(dir));
            }
        }
    }

    /** Throws when a run writes {@code dir} now (checked before a resume loads anything). */
    static void requireNoWriter(Path dir) {
        if (writtenNow(dir)) {
            throw stillRunning(dir);
        }
    }

    /**
     * Whether a run writes {@code dir} now. False where that cannot be known: no spec.json, or one this user may not
     * open for writing (a colleague's read-only records).
     */
    static boolean writtenNow(Path dir) {
        synchronized (HELD) {
            if (HELD.contains(key(dir))) {
                return true;
            }
            Path spec = dir.resolve("spec.json");
            if (!Files.isRegularFile(spec)) {
                return false;
            }
            boolean interrupted = Thread.interrupted(); // as in take
            try (FileChannel channel = FileChannel.open(spec, StandardOpenOption.WRITE)) {
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    return true;
                }
                lock.release();
                return false;
            } catch (OverlappingFileLockException | IOException e) {
                return false;
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static Path key(Path dir) {
        return dir.toAbsolutePath().normalize();
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the lock ends with the channel either way
            }
        }
    }

    private static PromptTuneException stillRunning(Path dir) {
        return new PromptTuneException(dir + " is being written by a run that is still going (another process or "
                + "notebook holds its record); allowed: resuming it after that run has ended (stop it with Ctrl-C: it "
                + "keeps its checkpoint)");
    }
}
