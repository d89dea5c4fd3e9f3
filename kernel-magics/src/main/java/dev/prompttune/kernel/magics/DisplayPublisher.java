package dev.prompttune.kernel.magics;

import dev.prompttune.kernel.RichOutput;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/**
 * Publishes a training run's live displays from its own thread, outside JShell's execution thread group, so that
 * the notebook's interrupt (which interrupts every thread of that group) never lands inside the messaging library:
 * a thread interrupted while writing to an NIO channel closes it, and the kernel's output socket with it. The
 * training thread only queues; redraws of one display are coalesced (only the newest is sent). {@link #flush} waits
 * until everything queued is out, because output sent after the cell has ended is dropped.
 */
final class DisplayPublisher implements AutoCloseable {

    private final BaseKernel kernel;
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private final Thread thread;
    private boolean closed;
    private boolean busy;

    private record Pending(DisplayData data, boolean first) {}

    DisplayPublisher(BaseKernel kernel) {
        this.kernel = kernel;
        this.thread = new Thread(rootGroup(), this::loop, "prompttune-display");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a new display; returns its id (usable in {@link #update} at once). */
    String display(RichOutput output) {
        String id = UUID.randomUUID().toString();
        DisplayData data = output.toDisplayData();
        data.setDisplayId(id);
        enqueue(id, new Pending(data, true));
        return id;
    }

    /** Queues a redraw of display {@code id}; replaces a redraw of it not yet sent. */
    void update(String id, RichOutput output) {
        DisplayData data = output.toDisplayData();
        data.setDisplayId(id);
        synchronized (this) {
            Pending queued = pending.get(id);
            // A display not yet shown stays a display (with the newer content); otherwise it is an update.
            enqueue(id, new Pending(data, queued != null && queued.first()));
        }
    }

    private synchronized void enqueue(String id, Pending p) {
        if (closed) {
            return;
        }
        pending.put(id, p);
        notifyAll();
    }

    /** Waits (up to {@code millis}) until everything queued has been sent. */
    synchronized void flush(long millis) {
        long deadline = System.currentTimeMillis() + millis;
        boolean interrupted = false;
        while ((!pending.isEmpty() || busy) && System.currentTimeMillis() < deadline) {
            try {
                wait(Math.max(1, deadline - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                interrupted = true; // finish flushing: the run's final state must reach the notebook
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        flush(10_000);
        synchronized (this) {
            closed = true;
            notifyAll();
        }
    }

    private void loop() {
        while (true) {
            Map.Entry<String, Pending> next;
            synchronized (this) {
                while (pending.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (pending.isEmpty()) {
                    return;
                }
                var it = pending.entrySet().iterator();
                next = it.next();
                it.remove();
                busy = true;
            }
            try {
                if (next.getValue().first()) {
                    kernel.display(next.getValue().data());
                } else {
                    kernel.getIO().display.updateDisplay(next.getKey(), next.getValue().data());
                }
            } catch (RuntimeException e) {
                System.err.println("prompttune: live display update failed: " + e);
            } finally {
                synchronized (this) {
                    busy = false;
                    notifyAll();
                }
            }
        }
    }

    private static ThreadGroup rootGroup() {
        ThreadGroup g = Thread.currentThread().getThreadGroup();
        while (g.getParent() != null) {
            g = g.getParent();
        }
        return g;
    }
}
