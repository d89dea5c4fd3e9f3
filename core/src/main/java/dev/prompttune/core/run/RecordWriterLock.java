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
 * One writer per run record. A run holds an OS file lock on its record's {@code metrics.jsonl} for as long as it
 * writes the record (the lock goes with the process: a killed run leaves none). Without it, {@code prompttune resume}
 * of a record whose run was still going (in another terminal, another notebook) was accepted, and two processes
 * wrote one record's metrics, checkpoint and summary over each other.
 * <p>
 * Records this process writes are also kept in a set and never probed through a second channel: closing any channel
 * of a file drops all of the process's POSIX locks on it.
 */
final class RecordWriterLock {

    /** The records this process writes now (absolute, normalised); guarded by itself. */
    private static final Set<Path> HELD = new HashSet<>();

    private RecordWriterLock() {}

    /**
     * Takes the lock on the open metrics channel of {@code dir}; throws naming the record when another run holds it.
     * The lock ends when the channel closes (then call {@link #released}) or the process ends.
     */
    static void take(FileChannel metrics, Path dir) {
        Path key = key(dir);
        synchronized (HELD) {
            if (HELD.contains(key)) {
                throw stillRunning(dir);
            }
            // A FileChannel is interruptible: with the thread's interrupt flag set (a notebook's stop button pressed
            // just now) tryLock would close the channel, and with it the record's metrics stream. The flag is held back.
            boolean interrupted = Thread.interrupted();
            FileLock lock;
            try {
                lock = metrics.tryLock();
            } catch (OverlappingFileLockException sameProcess) {
                lock = null;
            } catch (IOException e) {
                return; // a file system without locks: no protection, as before
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            if (lock == null) {
                throw stillRunning(dir);
            }
            HELD.add(key);
        }
    }

    /** After the record's metrics channel closed. */
    static void released(Path dir) {
        synchronized (HELD) {
            HELD.remove(key(dir));
        }
    }

    /** Throws when a running process writes {@code dir} now (checked before a resume loads anything). */
    static void requireNoWriter(Path dir) {
        if (writtenNow(dir)) {
            throw stillRunning(dir);
        }
    }

    /**
     * Whether a run writes {@code dir} now. False where that cannot be known: no metrics file, or one this user may
     * not open for writing (a colleague's read-only records).
     */
    static boolean writtenNow(Path dir) {
        synchronized (HELD) {
            if (HELD.contains(key(dir))) {
                return true;
            }
        }
        Path metrics = dir.resolve("metrics.jsonl");
        if (!Files.isRegularFile(metrics)) {
            return false;
        }
        boolean interrupted = Thread.interrupted(); // as in take
        try (FileChannel channel = FileChannel.open(metrics, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
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

    private static Path key(Path dir) {
        return dir.toAbsolutePath().normalize();
    }

    private static PromptTuneException stillRunning(Path dir) {
        return new PromptTuneException(dir + " is being written by a run that is still going (another process or "
                + "notebook holds its record); allowed: resuming it after that run has ended (stop it with Ctrl-C: it "
                + "keeps its checkpoint)");
    }
}
