package dev.prompttune.kernel.jshell;

import dev.prompttune.kernel.CooperativeInterrupt;
import jdk.jshell.execution.LocalExecutionControl;

import java.lang.reflect.Field;
import java.util.concurrent.TimeUnit;

/**
 * JShell's in-process engine with two additions a notebook needs.
 * <ul>
 *   <li><b>Real values.</b> JShell's API only hands back {@code toString()} of results. When a value is
 *       {@linkplain #capture(Runnable) captured}, {@link #varValue} stashes the variable's actual object
 *       (the field JShell keeps it in) so the kernel can render images, run objects and so on.</li>
 *   <li><b>Cooperative interrupt first.</b> {@link #stop()} first interrupts the snippet's thread(s) so
 *       library loops that check {@link Thread#interrupted()} (a training loop) can end cleanly and
 *       {@code Thread.sleep}/{@code wait} return at once; only if the code is still running after a grace
 *       period does it fall back to JShell's own stop (ThreadGroup.stop on JDK 17, the instrumented
 *       stop checks on JDK 22+).</li>
 *   <li><b>No exit.</b> A cell's {@code System.exit} / {@code Runtime.exit} / {@code halt} calls are refused
 *       ({@link #load}).</li>
 * </ul>
 * Code runs in this JVM, loaded by a child of the system class loader, so cells share static state
 * with the kernel (e.g. {@code dev.prompttune.kernel.Notebook}).
 */
public class InProcessExecutionControl extends LocalExecutionControl {

    /** Name of the thread group JShell's local engine runs snippets in (JDK 17 … 25). */
    static final String EXEC_GROUP_NAME = "JShell process local execution";

    private final long graceMillis;
    private volatile boolean running;
    private volatile boolean warnedNoHardStop;

    private final Object captureLock = new Object();
    private boolean capturing;
    private Object captured;

    public InProcessExecutionControl(long graceMillis) {
        this.graceMillis = graceMillis;
    }

    public boolean isRunning() {
        return running;
    }

    @Override
    protected void clientCodeEnter() {
        running = true;
        super.clientCodeEnter();
    }

    @Override
    protected void clientCodeLeave() {
        super.clientCodeLeave();
        running = false;
    }

    /**
     * Runs {@code trigger} (which must call {@code JShell.varValue(...)} exactly once) and returns the object
     * held by that variable instead of its string form.
     */
    public Object capture(Runnable trigger) {
        synchronized (captureLock) {
            capturing = true;
            captured = null;
            try {
                trigger.run();
                return captured;
            } finally {
                capturing = false;
                captured = null;
            }
        }
    }

    @Override
    public String varValue(String className, String varName)
            throws RunException, EngineTerminationException, InternalException {
        synchronized (captureLock) {
            if (!capturing) {
                return super.varValue(className, varName);
            }
            try {
                Class<?> klass = findClass(className);
                Field field = klass.getDeclaredField(varName);
                field.setAccessible(true);
                captured = field.get(null);
                return "";
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new InternalException("cannot read " + className + "." + varName + ": " + e);
            }
        }
    }

    /** Cell classes load with their exit calls refused ({@link ExitCallRewriter}). */
    @Override
    public void load(ClassBytecodes[] cbcs) throws ClassInstallException, NotImplementedException, EngineTerminationException {
        ClassBytecodes[] guarded = new ClassBytecodes[cbcs.length];
        for (int i = 0; i < cbcs.length; i++) {
            guarded[i] = new ClassBytecodes(cbcs[i].name(), ExitCallRewriter.rewrite(cbcs[i].bytecodes()));
        }
        super.load(guarded);
    }

    @Override
    public void stop() throws EngineTerminationException, InternalException {
        if (!running) {
            return;
        }
        // The snippet thread may not exist yet (stop right after clientCodeEnter): interrupt once it does,
        // but only once, so code cleaning up after the interrupt is not interrupted again.
        boolean interrupted = interruptSnippetThreads() > 0;
        // Inside a cooperative section (CooperativeInterrupt.run: a training run saving its best prompt) the
        // work gets a long grace period, and the grace restarts when the section ends.
        long graceEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        long cooperativeEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CooperativeInterrupt.graceMillis());
        boolean wasCooperative = false;
        while (running) {
            boolean cooperative = CooperativeInterrupt.isActive();
            if (wasCooperative && !cooperative) {
                graceEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
            }
            wasCooperative = cooperative;
            if (System.nanoTime() >= (cooperative ? cooperativeEnd : graceEnd)) {
                break;
            }
            if (!interrupted) {
                interrupted = interruptSnippetThreads() > 0;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (running) {
            try {
                super.stop();
            } catch (UnsupportedOperationException e) {
                // JDK 20/21: Thread(Group).stop is gone and the engine has no stop checks yet.
                if (!warnedNoHardStop) {
                    warnedNoHardStop = true;
                    System.err.println("prompttune kernel: this JDK cannot stop code that ignores interrupts: " + e);
                }
            }
        }
    }

    /**
     * Interrupts the live non-daemon threads of JShell's execution group: the snippet's thread and the worker threads
     * cell code started. Daemon threads are left alone: they are libraries' background machinery that cell code
     * happened to start (a Spark context's scheduler, RPC and executor threads; JNA's cleaner), which joined the group
     * by being created from the cell. Interrupting them ended Spark's event loops — "Could not find
     * HeartbeatReceiver" — and a stopped cluster run still had not ended 120 s later.
     */
    static int interruptSnippetThreads() {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            ThreadGroup g = t.getThreadGroup();
            if (g != null && EXEC_GROUP_NAME.equals(g.getName()) && t.isAlive() && !t.isDaemon()) {
                t.interrupt();
                n++;
            }
        }
        return n;
    }
}
