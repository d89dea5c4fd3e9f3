package dev.prompttune.cli;

import dev.prompttune.core.JavaHeap;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.PathProblems;
import dev.prompttune.core.model.EngineSetup;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * {@code bin/prompttune}: the one launcher for every command of the project. User errors
 * ({@link PromptTuneException}) print as one line without a stack trace and exit with status 2. {@code run} also
 * exits 1 when a run failed and 130 / 143 when SIGINT / SIGTERM interrupted it (see {@link RunCommand}).
 */
@Command(name = "prompttune", mixinStandardHelpOptions = true, version = "prompttune 0.1.0",
        description = "Prompt tuning (Lester et al. 2021) for T5 models on the JVM.",
        footer = {"", "If the JVM itself crashes (a fatal error in native code), bin/prompttune writes the JVM's report "
                + "to prompttune-hs_err-PID.log in $PROMPTTUNE_CRASH_DIR (else $TMPDIR, else /tmp) and prints its path "
                + "on stderr.",
            "", "bin/prompttune bench runs the benchmark of the build tools (bin/prompttune-tools)."},
        subcommands = {RunCommand.class, ResumeCommand.class, EvalCommand.class, ImportPeftCommand.class, ExportPeftCommand.class, VerifyT5Command.class,
            VerifyPeftCommand.class, CommandLine.HelpCommand.class})
public final class PromptTuneCli implements Runnable {

    /**
     * Exit status for a run that failed: its first step had no finite loss, so nothing was trained; or it stopped
     * unfinished because its record could not be written (a full disk) or the Java heap ran out.
     */
    public static final int RUN_FAILED = 1;

    /** Exit status for a user error (bad input, bad file). */
    public static final int USER_ERROR = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** An empty or blank path argument: picocli names the argument, the parameter exception handler what it is for. */
    private static final class NoPath extends CommandLine.TypeConversionException {
        NoPath(String value) {
            super(PathProblems.blank(value));
        }
    }

    public static void main(String[] args) {
        EngineSetup.configure();
        int status;
        try {
            status = execute(args);
        } catch (OutOfMemoryError e) {
            // One line, not a stack trace: what ran out and the setting that gives more. (Data files too large for the
            // heap are named with their size where they are read.)
            System.err.println("prompttune: the Java heap ran out (" + JavaHeap.limit() + "; by default a quarter of the "
                    + "machine's memory): give it " + JavaHeap.howToRaise() + "; a run it stopped keeps its record's last "
                    + "checkpoint (prompttune resume RECORD)");
            status = RUN_FAILED;
        }
        System.exit(status);
    }

    /** Runs a command line; returns the exit status (for tests: no System.exit). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** The command line with its converters and error handlers, ready to execute or to render its help. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new PromptTuneCli());
        // Path.of("") is the current folder: `export-peft R --out ''` wrote the adapter wherever the command ran, and
        // `eval ''` said " is not a run record". Every path argument must be one.
        cli.registerConverter(Path.class, s -> {
            if (s.isBlank()) {
                throw new NoPath(s);
            }
            return Path.of(s);
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PromptTuneException user = PromptTuneException.in(e);
            if (user != null) {
                commandLine.getErr().println("prompttune: " + user.getMessage());
                return USER_ERROR;
            }
            throw e;
        });
        // A mistyped command line gets one line and where the help is, not the whole usage text (20+ lines) after it.
        cli.setParameterExceptionHandler((e, params) -> {
            CommandLine c = e.getCommandLine();
            String command = c.getCommandSpec().qualifiedName();
            String message = e.getMessage();
            if (e.getCause() instanceof NoPath) {
                // The converter does not know which argument it converts; the argument's own description says what
                // it is for (so help and this line say the same), e.g. `--out ''` → "the adapter directory to write".
                String[] what = e.getArgSpec() == null ? new String[0] : e.getArgSpec().description();
                message += "; allowed: " + (what.length == 0 ? "a file or folder path" : String.join(" ", what));
            }
            if (e instanceof CommandLine.UnmatchedArgumentException u && params.length > 0 && !params[0].startsWith("-")
                    && c.getParent() == null && !c.getSubcommands().isEmpty()
                    && !u.getUnmatched().isEmpty() && u.getUnmatched().get(0).equals(params[0])) {
                // picocli's "Unmatched argument at index 0" for what is a mistyped command
                message = "unknown command '" + params[0] + "'; allowed: " + String.join(", ", c.getSubcommands().keySet())
                        + ", and through bin/prompttune bench and kernel install";
            }
            c.getErr().println(command + ": " + message + " (see '" + command + " --help')");
            return USER_ERROR;
        });
        return cli;
    }
}
