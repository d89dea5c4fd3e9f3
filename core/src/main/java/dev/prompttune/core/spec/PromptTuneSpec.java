package dev.prompttune.core.spec;

import com.google.gson.JsonObject;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.SettingProblems;
import dev.prompttune.core.eval.EvaluationMode;
import dev.prompttune.core.eval.Metric;
import dev.prompttune.core.io.PathProblems;
import dev.prompttune.core.prompt.Placement;
import dev.prompttune.core.prompt.PromptInit;
import dev.prompttune.core.train.TrainingLoss;
import dev.prompttune.core.train.optim.LearningRateSchedule;
import dev.prompttune.core.train.optim.OptimizerKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Everything one prompt-tuning experiment needs, every default resolved. The same names are the DSL keywords, the
 * builder's methods and the keys of a run record's {@code spec.json}: a new field is its component here, its builder
 * field and setter (same name), and its DSL keyword method; JSON, copying and construction follow from the component
 * ({@link SpecFields}). Built through {@link Builder}, whose setters
 * reject a bad value at once (naming the setting, the value and what is allowed), so a script fails on its line.
 *
 * <p>Defaults follow the paper (Lester et al. 2021): prompt length 100, class-label initialisation, Adafactor at a
 * constant learning rate of 0.3 with weight decay 1e-5 and decay rate 0.8, batch 32, 30,000 steps, evaluation
 * every 1,000 steps keeping the best prompt. Short experiments set {@code steps} and {@code length}.
 *
 * <p>{@code fastDevRun} is no keyword: {@link FastDevRun} sets it (with its caps) when its switch is on, so a
 * record says when its numbers come from a smoke run.
 */
public record PromptTuneSpec(
        String name, String model, int length, PromptInit init, Placement placement,
        String data, Path train, Path dev, Path test, String template, Map<String, String> labels, String labelField,
        String optimizer, double lr, double weightDecay, String schedule, int batch, int steps, int epochs,
        int gradientAccumulation, int evalEvery, int patience, long seed, Double dropout, String device, String precision,
        boolean sentinel, String loss, String metric, String evaluation, int maxInputLength, int maxTargetLength, int evalBatch,
        Path save, List<String> baselines, boolean calibrate, String reparam, int reparamBottleneck,
        ClusterSpec cluster, boolean fastDevRun) {

    /**
     * The longest {@code name}: with "-", the 15-character timestamp and a "-N" suffix the record folder's name stays
     * well within the 255 bytes file systems allow (the name's characters are written as single bytes).
     */
    public static final int MAX_NAME_LENGTH = 200;
    /** The most input or target tokens a spec may keep ({@link Builder#maxInputLength}). */
    public static final int MAX_SEQUENCE_LENGTH = 4096;
    /** The widest residual-reparameterisation bottleneck ({@link Builder#reparamBottleneck}). */
    public static final int MAX_REPARAM_BOTTLENECK = 65_536;
    /** The most examples one step may draw, batch × gradientAccumulation ({@link Builder#build}). */
    public static final int MAX_EXAMPLES_PER_STEP = 1 << 20;
    public static final List<String> OPTIMIZERS = OptimizerKind.keys();
    public static final List<String> DEVICES = List.of("auto", "cpu", "gpu");
    public static final List<String> PRECISIONS = List.of("fp32", "fp16");
    public static final List<String> METRICS = Metric.keys();
    public static final List<String> EVALUATIONS = EvaluationMode.keys();
    public static final List<String> LOSSES = TrainingLoss.keys();
    public static final List<String> BASELINES = List.of("design", "majority", "modelTuning");
    /** Prompt reparameterisations: none (plain prompt tuning) or Residual Prompt Tuning's bottleneck MLP. */
    public static final List<String> REPARAMS = List.of("none", "residual");

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * The task as results name it: the registered task ({@code data}), else the training file's name without its
     * extension ({@code train: 'reviews.csv'} is task {@code reviews}); null when neither is set.
     */
    public String taskName() {
        if (data() != null || train() == null) {
            return data();
        }
        return train().getFileName().toString().replaceFirst("\\.[^.]+$", "");
    }

    /** The processes a step's batches run on: the cluster's workers, else this one. */
    public int workers() {
        return cluster == null ? 1 : cluster.workers();
    }

    /**
     * The training examples one step draws from {@code trainSize}: batch × gradientAccumulation on each worker (a step
     * on a cluster takes gradientAccumulation micro-batches on each), a batch holding at most every example once.
     */
    public long examplesPerStep(int trainSize) {
        return (long) Math.min(batch, trainSize) * gradientAccumulation * workers();
    }

    /** The resolved spec as JSON (the {@code spec.json} of a run record): one key per field, the field's name. */
    public JsonObject toJson() {
        return SpecFields.toJson(this);
    }

    /**
     * A spec back from its JSON, every value through the builder's setter of the same name.
     *
     * @param init how the {@code init} object becomes an initialiser
     */
    public static PromptTuneSpec fromJson(JsonObject json, Function<JsonObject, PromptInit> init) {
        return SpecFields.fromJson(json, init);
    }

    /** The fields' names in declaration order: the JSON keys and the builder's setters (DSL keywords but fastDevRun). */
    public static List<String> fieldNames() {
        return SpecFields.names();
    }

    /** The builder: one method per keyword; each validates its value immediately. */
    public static final class Builder {
        private String name;
        // The default is the checkpoint prompt tuning lifts: the span-corruption and LM-adapted checkpoints' decoders
        // hardly read their encoders, and a prompt only acts through the encoder (models/README.md, Promptability);
        // of the promptable builds, the one whose embedding started from counted word vectors is the first whose
        // prompts clear majority + 0.15 on all three shipped tasks (models/README.md, t5-mini-ppmi).
        private String model = "t5-mini-ppmi";
        private int length = 100;
        private PromptInit init;
        private Placement placement = Placement.PREFIX;
        private String data;
        private Path train;
        private Path dev;
        private Path test;
        private String template;
        private Map<String, String> labels;
        private String labelField = "label";
        private String optimizer = OptimizerKind.ADAFACTOR.key();
        private double lr = 0.3;
        private Double weightDecay;
        private String schedule = "constant";
        private int batch = 32;
        private int steps = 30_000;
        private int epochs;
        private int gradientAccumulation = 1;
        private int evalEvery = 1000;
        private int patience;
        private long seed = 42;
        private Double dropout;
        private String device = "auto";
        private String precision = "fp32";
        private boolean sentinel;
        private String loss = TrainingLoss.SEQUENCE.key();
        private String metric;
        private String evaluation = EvaluationMode.RANK.key();
        private int maxInputLength = 512;
        private int maxTargetLength = 64;
        private int evalBatch = 64;
        private Path save = Path.of("runs");
        private List<String> baselines = List.of("design", "majority");
        private boolean calibrate;
        private String reparam = "none";
        // About the paper's bottleneck-to-width ratio (400 for T5-Base's 768) at the built-in models' width of 192.
        private int reparamBottleneck = 100;
        private ClusterSpec cluster;
        private boolean fastDevRun;

        Builder() {}

        Builder(PromptTuneSpec s) {
            SpecFields.copy(s, this);
        }

        /**
         * The run's name, which starts its record folder's name ({@code NAME-yyyyMMdd-HHmmss[-N]}): at most
         * {@link #MAX_NAME_LENGTH} characters (file systems allow 255 bytes for the folder name, timestamp included;
         * characters other than {@code A-Z a-z 0-9 . _ -} are written as {@code _}), no {@code /} or {@code \}, not
         * starting with a dot.
         */
        public Builder name(String v) {
            if (v != null) {
                String allowed = "; allowed: up to " + MAX_NAME_LENGTH + " characters, without / or \\, not starting with"
                        + " a dot (it names the run's record folder)";
                if (v.isBlank()) {
                    throw new PromptTuneException("name is empty" + allowed);
                }
                if (v.contains("/") || v.contains("\\")) {
                    throw new PromptTuneException("name '" + v + "' contains a path separator" + allowed);
                }
                if (v.startsWith(".")) {
                    throw new PromptTuneException("name '" + v + "' starts with a dot" + allowed);
                }
                int control = v.codePoints().filter(Character::isISOControl).findFirst().orElse(-1);
                if (control >= 0) {
                    // A newline or NUL in a name breaks every table and log line that shows it.
                    throw new PromptTuneException("name '" + v.replaceAll("\\p{Cntrl}", "?") + "' contains a control character ("
                            + String.format(java.util.Locale.ROOT, "U+%04X", control) + ")" + allowed + ", printable characters only");
                }
                if (v.length() > MAX_NAME_LENGTH) {
                    throw new PromptTuneException("name is " + v.length() + " characters long ('" + v.substring(0, 20)
                            + "...')" + allowed);
                }
            }
            name = v;
            return this;
        }

        /** The model set so far (the default until {@link #model(String)}). */
        public String model() {
            return model;
        }

        public Builder model(String v) {
            if (v == null || v.isBlank()) {
                throw new PromptTuneException("model is empty; allowed: a registered name, a directory or a hub id");
            }
            model = v;
            return this;
        }

        public Builder length(int v) { require(v >= 1, "length", v, "length >= 1"); length = v; return this; }

        public Builder init(PromptInit v) { init = v; return this; }

        public Builder init(String v) { init = PromptInit.parse(v); return this; }

        public Builder placement(String v) { placement = Placement.parse(v); return this; }

        public Builder placement(Placement v) { placement = v; return this; }

        /** A registered task name (see {@link TaskResolver}). */
        public Builder data(String v) { data = v; return this; }

        public Builder train(Path v) { train = v; return this; }

        public Builder dev(Path v) { dev = v; return this; }

        public Builder test(Path v) { test = v; return this; }

        public Builder template(String v) { template = v; return this; }

        /** The verbalizer: label value → target text, in class order. */
        public Builder labels(Map<String, String> v) {
            require(v != null && !v.isEmpty(), "labels", v, "a non-empty map of label value → target text");
            for (Map.Entry<String, String> e : v.entrySet()) {
                // A null key or value failed later: a NullPointerException, or "maps label to an empty text".
                if (e.getKey() == null || e.getValue() == null) {
                    throw new PromptTuneException("labels " + v + " map" + (e.getKey() == null ? "s a null label value to '"
                            + e.getValue() + "'" : "s label '" + e.getKey() + "' to null") + "; allowed: label values "
                            + "of the data, each mapped to its target text");
                }
            }
            labels = new LinkedHashMap<>(v);
            return this;
        }

        public Builder labelField(String v) { labelField = v; return this; }

        public Builder optimizer(String v) { oneOf("optimizer", v, OPTIMIZERS); optimizer = v; return this; }

        public Builder lr(double v) { require(v > 0 && Double.isFinite(v), "lr", v, "lr > 0"); lr = v; return this; }

        public Builder weightDecay(double v) { require(v >= 0 && Double.isFinite(v), "weightDecay", v, "finite weightDecay >= 0"); weightDecay = v; return this; }

        public Builder schedule(String v) {
            LearningRateSchedule.parse(v); // validates
            schedule = v;
            return this;
        }

        public Builder batch(int v) { require(v >= 1, "batch", v, "batch >= 1"); batch = v; return this; }

        public Builder steps(int v) { require(v >= 1, "steps", v, "steps >= 1"); steps = v; epochs = 0; return this; }

        /** Train for whole passes over the training data instead of a step count. */
        public Builder epochs(int v) { require(v >= 1, "epochs", v, "epochs >= 1"); epochs = v; return this; }

        public Builder gradientAccumulation(int v) {
            require(v >= 1, "gradientAccumulation", v, "gradientAccumulation >= 1");
            gradientAccumulation = v;
            return this;
        }

        public Builder evalEvery(int v) { require(v >= 0, "evalEvery", v, "evalEvery >= 0 (0: at the end)"); evalEvery = v; return this; }

        public Builder patience(int v) { require(v >= 0, "patience", v, "patience >= 0 (0: no early stopping)"); patience = v; return this; }

        public Builder seed(long v) { seed = v; return this; }

        public Builder dropout(double v) { require(v >= 0 && v < 1, "dropout", v, "0 <= dropout < 1"); dropout = v; return this; }

        public Builder device(String v) { oneOf("device", v, DEVICES); device = v; return this; }

        /** The precision set so far (the default until {@link #precision(String)}). */
        public String precision() {
            return precision;
        }

        public Builder precision(String v) {
            if ("bf16".equals(v) || "bfloat16".equals(v)) {
                throw new PromptTuneException("precision 'bf16' is not available: DJL's PyTorch engine aborts the whole "
                        + "process on any BFLOAT16 tensor (no Java exception); use 'fp16' or 'fp32'");
            }
            oneOf("precision", v, PRECISIONS);
            precision = v;
            return this;
        }

        /** The paper's "span corruption + sentinel": prepend {@code <extra_id_0>} to every target. */
        public Builder sentinel(boolean v) { sentinel = v; return this; }

        /**
         * What training minimises: {@code sequence} (default, the paper's: the target text's cross-entropy over the
         * whole vocabulary) or {@code classes} (cross-entropy over the task's classes scored as rank classification
         * scores them; {@link TrainingLoss}).
         */
        public Builder loss(String v) { oneOf("loss", v, LOSSES); loss = v; return this; }

        public Builder metric(String v) { oneOf("metric", v, METRICS); metric = v; return this; }

        /** How dev/test are scored: rank classification over the labels (default) or generation + exact match. */
        public Builder evaluation(String v) { oneOf("evaluation", v, EVALUATIONS); evaluation = v; return this; }

        /**
         * Input tokens kept (longer inputs are cut). At most {@value #MAX_SEQUENCE_LENGTH}: attention grows with the
         * square of the length (a 50,000-token input overflowed the relative-position table, and scoring is not
         * memory-checked as a training step is).
         */
        public Builder maxInputLength(int v) {
            require(v >= 2 && v <= MAX_SEQUENCE_LENGTH, "maxInputLength", v, "2 <= maxInputLength <= " + MAX_SEQUENCE_LENGTH);
            maxInputLength = v;
            return this;
        }

        /** Target tokens kept, and the most a generated answer may have; at most {@value #MAX_SEQUENCE_LENGTH}. */
        public Builder maxTargetLength(int v) {
            require(v >= 1 && v <= MAX_SEQUENCE_LENGTH, "maxTargetLength", v, "1 <= maxTargetLength <= " + MAX_SEQUENCE_LENGTH);
            maxTargetLength = v;
            return this;
        }

        public Builder evalBatch(int v) { require(v >= 1, "evalBatch", v, "evalBatch >= 1"); evalBatch = v; return this; }

        /** Where run records go: a folder, new or existing (default {@code runs}). */
        public Builder save(Path v) {
            if (v != null && v.toString().isBlank()) {
                // Path.of("") is the current folder: records would land wherever the command ran.
                throw new PromptTuneException("save is " + PathProblems.blank(v.toString()) + "; allowed: a folder for run"
                        + " records (new or existing), e.g. runs");
            }
            String problem = v == null ? null : PathProblems.notDirectory(v);
            if (problem != null && !problem.startsWith("does not exist")) {
                throw new PromptTuneException("save " + v + " " + problem + "; allowed: a folder for run records (new or"
                        + " existing)");
            }
            save = v;
            return this;
        }

        public Builder baselines(String... v) {
            if (v == null) {
                throw new PromptTuneException("baselines is null; allowed: none or some of "
                        + String.join(", ", BASELINES) + " (baselines() for none)");
            }
            Set<String> seen = new HashSet<>();
            for (String b : v) {
                oneOf("baseline", b, BASELINES);
                if (!seen.add(b)) {
                    throw new PromptTuneException("baseline '" + b + "' is named twice in baselines "
                            + String.join(", ", v) + "; allowed: each of " + String.join(", ", BASELINES) + " at most once");
                }
            }
            baselines = List.of(v);
            return this;
        }

        /**
         * Calibrated rank classification (Zhao et al. 2021, "Calibrate Before Use"): each class's score minus that
         * class's score on content-free inputs under the same prompt ({@link dev.prompttune.core.eval.Calibration}).
         * Predictions and dev selection use the calibrated scores; records report the uncalibrated ones beside them.
         */
        public Builder calibrate(boolean v) { calibrate = v; return this; }

        /**
         * {@code none} (default) or {@code residual}: Residual Prompt Tuning (Razdaibiedina et al. 2023) trains the
         * prompt through a bottleneck MLP with a skip connection and saves the projected prompt
         * ({@link dev.prompttune.core.prompt.ResidualReparam}).
         */
        public Builder reparam(String v) { oneOf("reparam", v, REPARAMS); reparam = v; return this; }

        /** The residual MLP's hidden width (default 100); used only with {@code reparam 'residual'}. */
        public Builder reparamBottleneck(int v) {
            // Its two layers hold 2 × width × bottleneck numbers: past this an int overflowed ("-256" elements).
            require(v >= 1 && v <= MAX_REPARAM_BOTTLENECK, "reparamBottleneck", v,
                    "1 <= reparamBottleneck <= " + MAX_REPARAM_BOTTLENECK);
            reparamBottleneck = v;
            return this;
        }

        /**
         * Train data-parallel on a cluster ({@link ClusterSpec}): {@code cluster("local[2]")} gives the master alone
         * (workers = N of local[N]). The master URL is checked here; whether a cluster backend is on the class path is
         * checked before the run loads weights ({@link dev.prompttune.core.run.ClusterBackends}).
         */
        public Builder cluster(String master) { cluster = ClusterSpec.of(master); return this; }

        /** {@link #cluster(String)} with workers and Spark settings; null: single process. */
        public Builder cluster(ClusterSpec v) { cluster = v; return this; }

        /**
         * Marks the spec as a fast dev run (capped steps and evaluation sizes; not a result). Set by
         * {@link FastDevRun#apply} from its switch, and by a run record's spec.json; not a DSL keyword.
         */
        public Builder fastDevRun(boolean v) { fastDevRun = v; return this; }

        /**
         * The resolved spec; fails when a required part is missing or settings contradict each other, with every such
         * problem at once ({@link SettingProblems}: the message is the first).
         */
        public PromptTuneSpec build() {
            List<String> problems = new ArrayList<>();
            if (data == null && train == null) {
                problems.add("data is missing: give a registered task (data 'spam') or a train file; "
                        + "registered tasks: " + TaskResolver.registeredText());
            }
            if (calibrate && EvaluationMode.of(evaluation) == EvaluationMode.GENERATE) {
                problems.add("calibrate true needs evaluation 'rank' (it corrects the label scores of "
                        + "rank classification); evaluation is 'generate'");
            }
            if (TrainingLoss.of(loss) == TrainingLoss.CLASSES && EvaluationMode.of(evaluation) == EvaluationMode.GENERATE) {
                problems.add("loss 'classes' needs evaluation 'rank' (it trains the label scores rank "
                        + "classification ranks by); evaluation is 'generate'; allowed with generate: loss 'sequence'");
            }
            if ((long) batch * gradientAccumulation > MAX_EXAMPLES_PER_STEP) {
                // The step's example indices are one array: 2^31 of them was an OutOfMemoryError.
                problems.add("batch " + batch + " × gradientAccumulation " + gradientAccumulation + " is "
                        + String.format(java.util.Locale.ROOT, "%,d", (long) batch * gradientAccumulation)
                        + " examples a step; allowed: at most " + String.format(java.util.Locale.ROOT, "%,d",
                        MAX_EXAMPLES_PER_STEP));
            }
            SettingProblems.throwIfAny(problems);
            PromptInit resolvedInit = init != null ? init
                    : (labels != null || data != null ? PromptInit.labels() : PromptInit.vocab());
            double decay = weightDecay != null ? weightDecay : OptimizerKind.of(optimizer).defaultWeightDecay();
            String resolvedName = name != null ? name
                    : (data != null ? data : train.getFileName().toString().replaceFirst("\\.[^.]+$", "")) + "-" + resolvedInit.kind() + "-" + length;
            return SpecFields.construct(this, Map.of("name", resolvedName, "init", resolvedInit, "weightDecay", decay));
        }

        private static void require(boolean ok, String name, Object value, String allowed) {
            if (!ok) {
                throw new PromptTuneException(name + " is " + value + "; allowed: " + allowed);
            }
        }

        private static void oneOf(String name, String value, List<String> allowed) {
            if (value == null || !allowed.contains(value)) {
                throw new PromptTuneException(name + (value == null ? " is null" : " '" + value + "' is not known")
                        + "; allowed: " + String.join(", ", allowed));
            }
        }
    }
}
