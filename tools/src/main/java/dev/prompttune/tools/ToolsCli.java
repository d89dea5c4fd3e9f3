package dev.prompttune.tools;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.PathProblems;
import dev.prompttune.core.model.EngineSetup;
import dev.prompttune.tools.bench.BenchCommand;
import dev.prompttune.tools.bench.MemoryTrace;
import dev.prompttune.tools.corpus.CorpusBuilder;
import dev.prompttune.tools.pretrain.ChannelCheck;
import dev.prompttune.tools.pretrain.EncoderReadingProbe;
import dev.prompttune.tools.pretrain.Pretrainer;
import dev.prompttune.tools.tokenizer.TokenizerTrainer;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code bin/prompttune-tools}: what builds the shipped data and models and measures the runtime, one subcommand
 * each. They live outside the runtime (core, dsl, kernel) because no user of prompt tuning needs them.
 *
 * <p>{@code bench} and {@code channel-check} have picocli options; the others hand their arguments to the tool's own {@code main}, whose usage
 * line (printed on a bad argument) is the reference: {@code corpus} ({@link CorpusBuilder}), {@code tokenizer}
 * ({@link TokenizerTrainer}), {@code pretrain} ({@link Pretrainer}), {@code probe} ({@link EncoderReadingProbe}) and
 * {@code memory-trace} ({@link MemoryTrace}).
 */
@Command(name = "prompttune-tools", mixinStandardHelpOptions = true, version = "prompttune-tools 0.1.0",
        description = "Build tools of prompttune: corpus, tokenizer, pretraining, probes, benchmarks.",
        subcommands = {BenchCommand.class, ToolsCli.Corpus.class, ToolsCli.Tokenizer.class, ToolsCli.Pretrain.class,
            ToolsCli.Probe.class, ChannelCheck.class, ToolsCli.MemoryTraceCommand.class, CommandLine.HelpCommand.class})
public final class ToolsCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        EngineSetup.configure();
        System.exit(execute(args));
    }

    /**
     * Runs a command line; returns the exit status. A user error ({@link PromptTuneException}) prints as one line
     * without a stack trace and exits with status 2, as {@code bin/prompttune} does.
     */
    static int execute(String... args) {
        return execute(new CommandLine(new ToolsCli()), null, args);
    }

    /** {@link #execute(String...)} on {@code cli}, errors to {@code err} (null: standard error). */
    static int execute(CommandLine cli, java.io.PrintWriter err, String... args) {
        if (err != null) {
            cli.setErr(err);
        }
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PromptTuneException user = PromptTuneException.in(e);
            if (user != null) {
                commandLine.getErr().println("prompttune-tools: " + user.getMessage());
                return 2;
            }
            FileSystemException file = fileProblem(e);
            if (file != null) {
                // A path given on the command line that is missing, unreadable or in the way: one line, no trace.
                String problem = PathProblems.describe(Path.of(file.getFile()), file);
                // "permission denied" and the OS's own reasons do not name the path; say which one.
                commandLine.getErr().println("prompttune-tools: "
                        + (problem.contains(file.getFile()) ? problem : file.getFile() + ": " + problem));
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }

    /** The file-system error (naming its file) behind {@code e}, or null. */
    private static FileSystemException fileProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FileSystemException f && f.getFile() != null) {
                return f;
            }
        }
        return null;
    }

    /** A subcommand that passes every argument on to a tool's {@code main}. */
    abstract static class PassThrough implements Callable<Integer> {

        @Unmatched
        List<String> args = new ArrayList<>();

        abstract void main(String[] args) throws Exception;

        @Override
        public Integer call() throws Exception {
            main(args.toArray(String[]::new));
            return 0;
        }
    }

    @Command(name = "corpus", mixinStandardHelpOptions = true, description = "Builds data/corpus and data/tasks from the pinned source archives "
            + "(data/build-corpus.sh runs it): --brown DIR --spam DIR --fortunes DIR --out DIR [--seed N]")
    static final class Corpus extends PassThrough {
        @Override
        void main(String[] a) throws Exception {
            CorpusBuilder.main(a);
        }
    }

    @Command(name = "tokenizer", mixinStandardHelpOptions = true, description = "Trains the Unigram tokenizer: CORPUS OUT_DIR [VOCAB_SIZE [EXTRA_IDS]]")
    static final class Tokenizer extends PassThrough {
        @Override
        void main(String[] a) throws Exception {
            TokenizerTrainer.main(a);
        }
    }

    @Command(name = "pretrain", mixinStandardHelpOptions = true, description = "Pretrains the built-in T5 checkpoints (models/build-t5-mini.sh runs it "
            + "with pinned numerics); options: see models/README.md")
    static final class Pretrain extends PassThrough {
        @Override
        void main(String[] a) {
            Pretrainer.main(a);
        }
    }

    @Command(name = "probe", mixinStandardHelpOptions = true, description = "Encoder-reading probe (models/probe.sh runs it): [--corpus FILE] "
            + "[--tokenizer DIR] MODEL_DIR...")
    static final class Probe extends PassThrough {
        @Override
        void main(String[] a) {
            EncoderReadingProbe.run(a);
        }
    }

    @Command(name = "memory-trace", mixinStandardHelpOptions = true, description = "Native memory over a run: [steps=150] [evalEvery=75] [every=25] "
            + "[model=t5-mini] [data=spam] [batch=16] [evalBatch=64] [runs=1] [thread=false] [trim=false] [dump=false]")
    static final class MemoryTraceCommand extends PassThrough {
        @Override
        void main(String[] a) throws Exception {
            MemoryTrace.main(a);
        }
    }
}
