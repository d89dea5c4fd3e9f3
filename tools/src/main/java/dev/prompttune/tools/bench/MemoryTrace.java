package dev.prompttune.tools.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.run.ProcessMemory;
import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.core.run.PromptTuning;
import dev.prompttune.core.run.Session;
import dev.prompttune.core.spec.PromptTuneSpec;
import dev.prompttune.core.train.TrainingListener;
import dev.prompttune.tools.ToolArgs;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A memory trace of one prompt-tuning run: RSS and the number (and bytes) of live DJL arrays every {@code every}
 * steps, after each dev evaluation and after the run (test scoring and baselines included). A leak shows as live
 * arrays growing with steps or evaluations; allocator caching as RSS that plateaus while the array count stays flat.
 * Prints numbers; not a timed test.
 *
 * <pre>java -cp ... dev.prompttune.tools.bench.MemoryTrace [steps=150] [evalEvery=75] [every=25] [model=t5-mini]
 *      [data=spam] [batch=16] [evalBatch=64] [runs=1] [thread=false] [trim=false] [dump=false]</pre>
 * {@code runs=N} repeats the run in one session (as a sweep does);
 * {@code trim=true} also prints RSS after glibc's malloc_trim (what the allocator kept but did not use);
 * {@code dump=true} prints which managers own the live arrays at each point.
 */
public final class MemoryTrace {

    /** The settings the command line may give, as key=value. */
    private static final List<String> KEYS = List.of("steps", "evalEvery", "every", "model", "data", "batch",
            "evalBatch", "runs", "thread", "trim", "dump");

    private MemoryTrace() {}

    public static void main(String[] args) throws Exception {
        // thread=true: run on a fresh thread, where PyTorch's autograd starts on (as in a notebook cell)
        if (List.of(args).contains("thread=true")) {
            ai.djl.engine.Engine.getInstance(); // initialised here: its thread gets autograd off, the next one does not
            Throwable[] failed = new Throwable[1];
            Thread t = new Thread(() -> {
                try {
                    trace(args);
                } catch (Throwable e) {
                    failed[0] = e;
                }
            });
            t.start();
            t.join();
            if (failed[0] != null) {
                throw new IllegalStateException(failed[0]);
            }
        } else {
            trace(args);
        }
    }

    private static void trace(String[] args) throws Exception {
        Map<String, String> a = new TreeMap<>();
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            if (!KEYS.contains(kv[0])) {
                throw new PromptTuneException("memory-trace: unknown setting '" + kv[0] + "'; allowed: "
                        + String.join(", ", KEYS) + " (as key=value)");
            }
            a.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        int steps = ToolArgs.integer("memory-trace steps", a.getOrDefault("steps", "150"));
        int every = ToolArgs.integer("memory-trace every", a.getOrDefault("every", "25"), 1);
        boolean trim = ToolArgs.bool("memory-trace trim", a.getOrDefault("trim", "false"));
        boolean dump = ToolArgs.bool("memory-trace dump", a.getOrDefault("dump", "false"));
        ToolArgs.bool("memory-trace thread", a.getOrDefault("thread", "false")); // used by main; checked with the rest
        int runs = ToolArgs.integer("memory-trace runs", a.getOrDefault("runs", "1"), 1);
        Path save = Files.createTempDirectory("memtrace");
        PromptTuneSpec spec = PromptTuneSpec.builder().name("memtrace").model(a.getOrDefault("model", "t5-mini"))
                .data(a.getOrDefault("data", "spam")).length(20).init("labels").steps(steps)
                .batch(ToolArgs.integer("memory-trace batch", a.getOrDefault("batch", "16")))
                .evalEvery(ToolArgs.integer("memory-trace evalEvery", a.getOrDefault("evalEvery", "75")))
                .evalBatch(ToolArgs.integer("memory-trace evalBatch", a.getOrDefault("evalBatch", "64"))).save(save).build();
        PrintStream out = System.out;
        try (Session session = new Session()) {
            NDManager system = session.manager().getParentManager();
            report(out, "start", system, trim, dump);
            TrainingListener trace = new TrainingListener() {
                @Override
                public void onStep(StepEvent e) {
                    if (e.step() % every == 0 || e.step() == 1) {
                        report(out, "step " + e.step(), system, trim, dump);
                    }
                }

                @Override
                public void onEval(EvalEvent e) {
                    report(out, "eval " + e.step() + " (" + e.metric() + " " + e.value() + ")", system, trim, dump);
                }
            };
            for (int r = 1; r <= runs; r++) {
                PromptTuneRun run = new PromptTuning(session).execute(spec, List.of(trace));
                report(out, "after run " + r + " (test " + run.test() + ", baselines " + run.baselines() + ")", system,
                        trim, dump);
            }
            out.println("peak_rss_mib " + maxPeak);
        } finally {
            try (var files = Files.walk(save)) { // the runs' records: not wanted after the trace
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** The highest peak RSS seen by any report (each run resets the kernel's peak when it starts). */
    private static long maxPeak;

    /** One line: RSS, peak RSS, live DJL arrays in the whole process and their bytes. */
    static void report(PrintStream out, String what, NDManager system, boolean trim, boolean dump) {
        List<NDArray> live = system.getManagedArrays();
        long bytes = 0;
        Map<String, long[]> owners = new TreeMap<>();
        for (NDArray x : live) {
            long b = x.getShape().size() * x.getDataType().getNumOfBytes();
            bytes += b;
            long[] c = owners.computeIfAbsent(path(x.getManager()), k -> new long[2]);
            c[0]++;
            c[1] += b;
        }
        long rss = ProcessMemory.rssMib();
        String trimmed = "";
        if (trim) {
            ProcessMemory.trim();
            trimmed = String.format(" rss_after_trim_mib=%d", ProcessMemory.rssMib());
        }
        maxPeak = Math.max(maxPeak, ProcessMemory.peakRssMib());
        Runtime jvm = Runtime.getRuntime(); // the Java heap is part of RSS too
        out.printf("%-28s rss_mib=%d peak_mib=%d heap_committed_mib=%d heap_used_mib=%d live_arrays=%d live_mib=%.1f%s%n",
                what, rss, ProcessMemory.peakRssMib(), jvm.totalMemory() >> 20, (jvm.totalMemory() - jvm.freeMemory()) >> 20,
                live.size(), bytes / 1048576.0, trimmed);
        if (dump) {
            owners.forEach((k, c) -> out.printf("    %6d arrays %8.1f MiB  %s%n", c[0], c[1] / 1048576.0, k));
        }
        out.flush();
    }

    private static String path(NDManager m) {
        StringBuilder s = new StringBuilder();
        for (NDManager x = m; x != null && x.getParentManager() != null; x = x.getParentManager()) {
            s.insert(0, "/" + x.getName());
        }
        return s.toString();
    }
}
