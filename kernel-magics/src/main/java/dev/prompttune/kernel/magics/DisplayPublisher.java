package dev.prompttune.kernel.magics;

import dev.prompttune.kernel.RichOutput;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/**
 * Renders and publishes a training run's live displays on its own thread, outside JShell's execution thread group,
 * so that the notebook's interrupt (which interrupts the cell's threads in that group) never lands inside the
 * messaging library or the chart drawing: a thread interrupted while writing to an NIO channel closes it, and the kernel's
 * output socket with it; and drawing a chart (XChart on Java2D) cleared a pending interrupt in 18 of 40 draws
 * measured, so a training thread that drew its own charts often never saw the stop button (or a kernel's SIGTERM)
 * and trained on. The training thread only queues what to draw, from its own snapshot of the data; redraws of one
 * display are coalesced (only the newest is drawn and sent). {@link #flush} waits until everything queued is out,
 * because output sent after the cell has ended is dropped.
 */
final class DisplayPublisher implements AutoCloseable {

    /** Where displays go: the kernel's display and update_display messages. */
    interface Sink {
        void display(DisplayData data);

        void update(String id, DisplayData data);
    }

    private final Sink sink;
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private final Thread thread;
    private boolean closed;
    private boolean busy;

    /** What to draw (called on the publisher's thread) and whether it is the display's first showing. */
    private record Pending(Supplier<RichOutput> render, boolean first) {}

    DisplayPublisher(BaseKernel kernel) {
        this(new Sink() {
            @Override
            public void display(DisplayData data) {
                kernel.display(data);
            }

            @Override
            public void update(String id, DisplayData data) {
                kernel.getIO().display.updateDisplay(id, data);
            }
        });
    }

    DisplayPublisher(Sink sink) {
        this.sink = sink;
        this.thread = new Thread(rootGroup(), this::loop, "prompttune-display");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Queues a new display, drawn by {@code render} on the publisher's thread (it must not read state the caller
     * changes later: pass a snapshot); returns its id (usable in {@link #update} at once).
     */
    String display(Supplier<RichOutput> render) {
        String id = UUID.randomUUID().toString();
        enqueue(id, new Pending(render, true));
        return id;
    }

    /** Queues a redraw of display {@code id} (see {@link #display}); replaces a redraw of it not yet sent. */
    void update(String id, Supplier<RichOutput> render) {
        synchronized (this) {
            Pending queued = pending.get(id);
            // A display not yet shown stays a display (with the newer content); otherwise it is an update.
            enqueue(id, new Pending(render, queued != null && queued.first()));
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
                DisplayData data = next.getValue().render().get().toDisplayData();
                data.setDisplayId(next.getKey());
                if (next.getValue().first()) {
                    sink.display(data);
                } else {
                    sink.update(next.getKey(), data);
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
