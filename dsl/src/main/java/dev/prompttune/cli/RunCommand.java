package dev.prompttune.cli;

import dev.prompttune.core.run.Interrupts;
import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.core.run.RecordNotWritten;
import dev.prompttune.core.run.RunComparison;
import dev.prompttune.core.run.RunFailed;
import dev.prompttune.dsl.Experiments;
import dev.prompttune.dsl.InterruptibleScripts;
import dev.prompttune.dsl.PrintedResults;
import dev.prompttune.dsl.ScriptError;
import dev.prompttune.dsl.ScriptRunner;
import groovy.lang.Script;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code prompttune run SCRIPT.groovy}: runs an experiment script, with a progress bar and a result table. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {
            "Runs a prompttune Groovy script (promptTune { … }, sweep { … }, compare, evaluate, predict, ensemble, …).",
            "The script is type checked and every setting whose value is known before it runs (a literal, a constant "
                + "such as Double.NaN, arithmetic on them, a variable given one such value) validated before anything "
                + "runs: a bad script exits 2 with one line per mistake, SCRIPT:LINE: message, in line order (every "
                + "mistake found, not only the first).",
            "While training, a progress bar; at the end, the table of the script's value (its last expression: a run, "
                + "a sweep, a comparison) or of every run it made, unless the script printed that table, or any result, "
                + "itself.",
            "Ctrl-C (or SIGTERM, or SIGHUP) stops training at the next step: the best prompt so far is scored and its "
                + "whole record written, marked INTERRUPTED; runs already finished are kept, and the script stops there "
                + "(nothing after the run executes); the table is printed marked INTERRUPTED. A second Ctrl-C aborts "
                + "at once: the current run's record then has no summary or prompt, but every file in it is whole and its "
                + "last checkpoint resumes.",
            "Exit status: 0 done; 1 a run failed (its first step had no finite loss; its record is marked FAILED) or "
                + "stopped because its record could not be written (a full disk); 2 bad script (an empty one too) or "
                + "input; 130 interrupted by SIGINT (Ctrl-C); 143 by SIGTERM; 129 by SIGHUP."})
final class RunCommand implements Callable<Integer> {

    @Parameters(paramLabel = "SCRIPT", description = "the script (.groovy)")
    Path script;

    @Mixin
    TrainingOptions options;

    @Option(names = "--check", description = "compile and validate the script only; train nothing")
    boolean check;

    @Override
    public Integer call() {
        Experiments experiments = options.experiments().endingScriptsAtInterrupt();
        // The script's own loops, closures and methods check the interrupt flag (Groovy's ThreadInterrupt), so the
        // first Ctrl-C stops a script busy in its own code too; it ignored it, and only a second one ended it.
        ScriptRunner runner = new ScriptRunner(experiments, List.of(new InterruptibleScripts()));
        if (check) {
            try {
                runner.compile(script);
            } catch (ScriptError e) {
                System.err.println(e.getMessage());
                return PromptTuneCli.USER_ERROR;
            }
            System.out.println(script + ": ok");
            return 0;
        }
        return interruptibly(experiments, interrupts -> {
            Script compiled = runner.compile(script);
            interrupts.reassert(); // a Ctrl-C while the script compiled: no run starts
            return runner.execute(compiled, script.toString());
        });
    }

    /**
     * Does {@code work} (a script, a resumed run) with Ctrl-C and SIGTERM stopping its training, then prints the table
     * of its value; returns the exit status (0; 1 a run failed; 2 a script error; 128 + the signal's number).
     */
    static int interruptibly(Experiments experiments, Supplier<Object> work) {
        return interruptibly(experiments, interrupts -> work.get());
    }

    /** {@link #interruptibly(Experiments, Supplier)} for one run, not a script ({@code resume}): said so on a signal. */
    static int interruptiblyOneRun(Experiments experiments, Supplier<Object> work) {
        return interruptibly(experiments, Interrupts.installForOneRun(Thread.currentThread(), System.err), false,
                interrupts -> work.get());
    }

    /** {@link #interruptibly(Experiments, Supplier)} for work that looks at the signals itself. */
    static int interruptibly(Experiments experiments, Function<Interrupts, Object> work) {
        return interruptibly(experiments, Interrupts.install(Thread.currentThread(), System.err), true, work);
    }

    /** @param script whether a script runs (then the stop also ends it), or one run ({@code resume}) */
    private static int interruptibly(Experiments experiments, Interrupts installed, boolean script,
                                     Function<Interrupts, Object> work) {
        try (Interrupts interrupts = installed) {
            Object value = null;
            RuntimeException error = null;
            try {
                value = work.apply(interrupts);
            } catch (RuntimeException e) {
                error = e;
            }
            if (interrupts.received()) {
                if (error != null && !causedByTheStop(error)) {
                    // Something else went wrong while the run stopped (its record could not be written): said, not
                    // swallowed by the interrupt's summary.
                    System.err.println(error.getMessage());
                }
                return interrupted(interrupts, error == null ? value : null, experiments.runs(), script);
            }
            // A run that stopped unfinished (no finite step; a record that could not be written) is not bad input.
            boolean runFailed = stoppedUnfinished(error) || error != null && stoppedUnfinished(error.getCause());
            if (error instanceof ScriptError || runFailed) {
                System.err.println(error.getMessage());
                List<PromptTuneRun> kept = experiments.runs().stream().filter(r -> r.record() != null
                        && !r.interrupted()).toList();
                if (!runFailed && !kept.isEmpty()) { // a failed run's message says what its sweep leaves
                    // The error came after them: their records are whole (only the exit status said otherwise).
                    System.err.println("prompttune: " + kept.size() + " run(s) finished and recorded before the error: "
                            + kept.stream().map(r -> r.record().toString()).collect(java.util.stream.Collectors.joining(", ")));
                }
                return runFailed ? PromptTuneCli.RUN_FAILED : PromptTuneCli.USER_ERROR;
            }
            if (error != null) {
                throw error;
            }
            String table = table(value, experiments.runs());
            if (!experiments.printed().alreadyShown(value, table)) {
                print(table);
            }
            return 0;
        }
    }

    /**
     * Whether {@code error} is the stop itself (said by the interrupt's summary): a verb refused because the script was
     * stopped, or the script's own code interrupted (a loop's check, a sleep).
     */
    private static boolean causedByTheStop(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof Experiments.StoppedByInterrupt || t instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }

    private static boolean stoppedUnfinished(Throwable error) {
        return error instanceof RunFailed || error instanceof RecordNotWritten;
    }

    /** After a signal: what was recorded, labelled interrupted, and 128 + the signal's number. */
    private static int interrupted(Interrupts interrupts, Object value, List<PromptTuneRun> runs, boolean script) {
        if (runs.size() > 1) {
            System.out.println();
            runs.stream().filter(PromptTuneRun::interrupted).forEach(r -> System.out.println("INTERRUPTED: " + r.name()
                    + " after " + r.steps() + " steps; its scores are those of its best prompt so far"));
        }
        print(table(value, runs)); // even when the script printed results: this table says what the stop left
        System.err.println("prompttune: interrupted by " + interrupts.signalName() + ": " + runs.size() + " run(s) recorded"
                + (runs.stream().anyMatch(PromptTuneRun::interrupted) ? ", the last one marked INTERRUPTED" : "")
                + (script ? "; the script stopped there (no later run, save or scoring)" : "") + "; exit "
                + interrupts.exitCode());
        return interrupts.exitCode();
    }

    private static void print(String table) {
        if (!table.isEmpty()) {
            System.out.println();
            System.out.print(table);
        }
    }

    /** The script's value as a table when it is a result; else the table of every run the script made. */
    static String table(Object value, List<PromptTuneRun> runs) {
        if (value instanceof PromptTuneRun r) {
            return r.table();
        }
        if (PrintedResults.isResult(value)) {
            String s = value.toString();
            return s.endsWith("\n") ? s : s + "\n";
        }
        if (runs.size() == 1) {
            return runs.get(0).table();
        }
        return runs.isEmpty() ? "" : RunComparison.of(runs).table();
    }
}
