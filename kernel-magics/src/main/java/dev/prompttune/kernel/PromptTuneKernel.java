package dev.prompttune.kernel;

import dev.prompttune.kernel.jshell.JavaEvaluator;
import dev.prompttune.kernel.jshell.Tracebacks;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteInput;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.dflib.jjava.jupyter.messages.request.InterruptRequest;
import org.dflib.jjava.jupyter.messages.request.KernelInfoRequest;
import org.dflib.jjava.jupyter.messages.request.ShutdownRequest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The prompttune Jupyter kernel: Java cells through JShell in this JVM, magics through JJava's registry and a
 * {@link MagicParser} built with {@link dev.prompttune.kernel.magics.ValueMagicTranspiler} (magic values are
 * kept), rich results through JJava's {@link Renderer}.
 * <p>
 * Beyond jjava-jupyter 1.0-a6's BaseKernel it: replies {@code status: ok} to kernel_info/interrupt/shutdown,
 * reports errors with the user's exception class as ename and a short cell-relative traceback, honours
 * {@code silent}, flushes partial output lines, and interrupts a running cell on interrupt_request.
 */
public class PromptTuneKernel extends BaseKernel {

    public static final String IMPLEMENTATION = "prompttune";

    private static final Pattern MAGIC_NAME_PREFIX = Pattern.compile("^[ \\t]*(%%?)(\\w*)$");
    private static final Pattern CELL_MAGIC_HEADER_ONLY = Pattern.compile("%%\\w[^\\n]*\\n?");

    private final JavaEvaluator evaluator;
    private final KernelIO kernelIO;

    PromptTuneKernel(String name, String version, LanguageInfo languageInfo, List<HelpLink> helpLinks,
                     KernelIO io, CommManager commManager, Renderer renderer, MagicParser magicParser,
                     MagicsRegistry magicsRegistry, boolean extensionsEnabled, StringStyler errorStyler,
                     JavaEvaluator evaluator) {
        super(name, version, languageInfo, helpLinks, null, io, commManager, renderer, magicParser,
                magicsRegistry, extensionsEnabled, errorStyler);
        this.kernelIO = io;
        this.evaluator = evaluator;
        // PNG plus a short text form (JJava's own RenderedImage renderer uses toString() as text/plain).
        Renderers.register(renderer, java.awt.image.BufferedImage.class, Notebook::image);
    }

    /**
     * Starts the kernel: JJava's {@code Extension} discovery (ServiceLoader over the class path, unless
     * {@code -Dprompttune.kernel.extensions=false}), extensions from the jars in
     * {@code -Dprompttune.kernel.extensionClasspath} (as a stock JJava kernel loads a user's extension jar), then the
     * built-in prompttune magics (skipped with {@code -Dprompttune.kernel.builtinMagics=false}; an extension
     * already loaded is not installed twice). Tests start the kernel without the built-in registration to prove the
     * magics load as a plain extension.
     */
    @Override
    public void onStartup() {
        super.onStartup();
        String extra = System.getProperty("prompttune.kernel.extensionClasspath");
        if (extra != null && !extra.isBlank()) {
            installExtensions(extra);
        }
        if (Boolean.parseBoolean(System.getProperty("prompttune.kernel.builtinMagics", "true"))) {
            installExtension(new dev.prompttune.kernel.magics.PromptTuneExtension());
        }
    }

    public static PromptTuneKernelBuilder builder() {
        return new PromptTuneKernelBuilder();
    }

    public JavaEvaluator evaluator() {
        return evaluator;
    }

    // ------------------------------------------------------------------ evaluation

    @Override
    public Object evalRaw(String source) {
        return evaluator.eval(resolveMagics(source));
    }

    /** Magic syntax → Java (line magics at line start anywhere, a cell magic on the cell's first line). */
    public String resolveMagics(String source) {
        if (magicParser == null) {
            return source;
        }
        String code = source;
        String stripped = code.stripLeading();
        if (stripped.startsWith("%%")) {
            code = stripped;
            if (CELL_MAGIC_HEADER_ONLY.matcher(code).matches()) {
                code = code.stripTrailing() + "\n\n"; // MagicParser needs a body; the transpiler blanks it
            }
        }
        return magicParser.resolveMagics(code);
    }

    @Override
    public void interrupt() {
        evaluator.interrupt();
    }

    /** Whether a cell is running. */
    public boolean isBusy() {
        return evaluator.isEvaluating();
    }

    /** Waits until no cell runs, at most {@code limit}; whether none does. */
    public boolean awaitIdle(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (isBusy() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !isBusy();
            }
        }
        return !isBusy();
    }

    @Override
    public String isComplete(String code) {
        if (code.stripLeading().startsWith("%%")) {
            return IS_COMPLETE_YES;
        }
        return evaluator.isComplete(resolveMagics(code));
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        int lineStart = code.lastIndexOf('\n', Math.max(0, at - 1)) + 1;
        Matcher m = MAGIC_NAME_PREFIX.matcher(code.substring(Math.min(lineStart, at), at));
        if (m.matches() && magicsRegistry != null) {
            boolean cell = m.group(1).length() == 2;
            String prefix = m.group(2);
            List<String> names = new ArrayList<>();
            for (String n : new TreeSet<>(cell ? magicsRegistry.getCellMagicNames() : magicsRegistry.getLineMagicNames())) {
                if (n.startsWith(prefix)) {
                    names.add(n);
                }
            }
            return new ReplacementOptions(names, at - prefix.length(), at);
        }
        JavaEvaluator.Completion c = evaluator.complete(code, at);
        return new ReplacementOptions(c.matches(), c.start(), c.end());
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        String doc = evaluator.inspect(code, at);
        return doc == null ? null : new DisplayData(doc);
    }

    @Override
    public List<String> formatError(Throwable e) {
        return Tracebacks.fromThrowable(e).traceback();
    }

    // ------------------------------------------------------------------ message handlers

    @Override
    protected synchronized void handleExecuteRequest(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
        commManager.setMessageContext(message);
        ExecuteRequest request = message.getContent();
        boolean silent = request.isSilent();
        int count = silent ? executionCount.get() : executionCount.getAndIncrement();

        env.setBusyDeferIdle();
        if (!silent) {
            env.publish(new PublishExecuteInput(request.getCode(), count));
        }
        replaceOutputStreams(env);
        kernelIO.attach(env, request.isStdinEnabled());
        env.defer(() -> kernelIO.detach(env));

        try {
            DisplayData out = eval(request.getCode());
            kernelIO.flush();
            if (out != null && !silent) {
                env.publish(new PublishExecuteResult(count, out));
            }
            env.defer().reply(new ExecuteReply(count, Collections.emptyMap()));
        } catch (Throwable t) {
            kernelIO.flush();
            CellException error = Tracebacks.fromThrowable(t);
            env.publish(new PublishError(error.ename(), error.evalue(), error.traceback()));
            ErrorReply reply = new ErrorReply(error.ename(), error.evalue(), error.traceback());
            reply.setExecutionCount(count);
            env.defer().replyError(ExecuteReply.MESSAGE_TYPE.error(), reply);
            if (t instanceof Error && !(t instanceof StackOverflowError)) {
                System.err.println("prompttune kernel: " + t);
            }
        }
    }

    @Override
    protected void handleKernelInfoRequest(ShellReplyEnvironment env, Message<KernelInfoRequest> message) {
        env.setBusyDeferIdle();
        env.reply(new KernelReplies.KernelInfo(Header.PROTOCOL_VERISON, name, version, getLanguageInfo(),
                getBanner(), getHelpLinks()));
    }

    @Override
    protected void handleInterruptRequest(ShellReplyEnvironment env, Message<InterruptRequest> message) {
        env.setBusyDeferIdle();
        env.defer().reply(new KernelReplies.Interrupt());
        interrupt();
    }

    @Override
    protected void handleShutdownRequest(ShellReplyEnvironment env, Message<ShutdownRequest> message) {
        boolean restart = message.getContent().isRestart();
        env.setBusyDeferIdle();
        env.defer().reply(new KernelReplies.Shutdown(restart));
        // A running cell (a training run) stops at its next step and writes its record before the kernel closes:
        // closing JShell under it hung the kernel, and the run's prompt was lost.
        interrupt();
        awaitIdle(KernelExit.CELL_GRACE);
        onShutdown(restart);
        env.resolveDeferrals();
        env.markForShutdown();
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        try {
            super.onShutdown(isRestarting);
        } finally {
            evaluator.close();
        }
    }
}
