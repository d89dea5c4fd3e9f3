package dev.prompttune.cli;

import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.core.run.RunComparison;
import dev.prompttune.core.run.Session;
import dev.prompttune.core.train.ConsoleProgress;
import dev.prompttune.dsl.BaselineResult;
import dev.prompttune.dsl.EnsembleResult;
import dev.prompttune.dsl.Evaluation;
import dev.prompttune.dsl.Experiments;
import dev.prompttune.dsl.Interpretation;
import dev.prompttune.dsl.ScriptError;
import dev.prompttune.dsl.ScriptRunner;
import dev.prompttune.dsl.SweepResult;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code prompttune run SCRIPT.groovy}: runs an experiment script, with a progress bar and a result table. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {
            "Runs a prompttune Groovy script (promptTune { … }, sweep { … }, compare, evaluate, predict, ensemble, …).",
            "The script is type checked and every literal setting validated before anything runs: a bad script exits 2",
            "with one line per mistake, SCRIPT:LINE: message, in line order (every mistake found, not only the first).",
            "While training, a progress bar; at the end, the table of the script's value (its last expression: a run,",
            "a sweep, a comparison) or of every run it made."})
final class RunCommand implements Callable<Integer> {

    @Parameters(paramLabel = "SCRIPT", description = "the script (.groovy)")
    Path script;

    @Option(names = {"-q", "--quiet"}, description = "no progress bar (the result table is still printed)")
    boolean quiet;

    @Option(names = "--check", description = "compile and validate the script only; train nothing")
    boolean check;

    @Option(names = "--threads", paramLabel = "N",
            description = "PyTorch threads (default: one per core, as in the kernel and bench; measured on 2 idle cores, the "
                    + "quickstart takes 1m47s with 2 and several minutes with 1. On a machine shared with another busy "
                    + "process pass fewer: PyTorch slows down several-fold when its threads compete for the cores)")
    Integer threads;

    @Override
    public Integer call() {
        EngineSetup.threads(threads != null ? threads : Runtime.getRuntime().availableProcessors());
        Experiments experiments = new Experiments(Session.shared());
        if (!quiet) {
            experiments.listener(new ConsoleProgress(System.out));
        }
        ScriptRunner runner = new ScriptRunner(experiments);
        try {
            if (check) {
                runner.compile(script);
                System.out.println(script + ": ok");
                return 0;
            }
            Object value = runner.run(script);
            String table = table(value, experiments.runs());
            if (!table.isEmpty()) {
                System.out.println();
                System.out.print(table);
            }
            return 0;
        } catch (ScriptError e) {
            System.err.println(e.getMessage());
            return PromptTuneCli.USER_ERROR;
        }
    }

    /** The script's value as a table when it is a result; else the table of every run the script made. */
    static String table(Object value, List<PromptTuneRun> runs) {
        if (value instanceof PromptTuneRun r) {
            return r.table();
        }
        if (value instanceof SweepResult || value instanceof RunComparison || value instanceof EnsembleResult
                || value instanceof Interpretation || value instanceof Evaluation || value instanceof BaselineResult) {
            String s = value.toString();
            return s.endsWith("\n") ? s : s + "\n";
        }
        if (runs.size() == 1) {
            return runs.get(0).table();
        }
        return runs.isEmpty() ? "" : RunComparison.of(runs).table();
    }
}
