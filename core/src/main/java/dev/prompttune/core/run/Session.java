package dev.prompttune.core.run;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.text.T5Tokenizer;
import dev.prompttune.core.text.T5Tokenizers;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loaded models and tokenizers shared by the runs of one session (a notebook kernel, a script, a sweep): a frozen
 * model is loaded once per (directory, precision, device) and serves every prompt. Counts loads, so a sweep can
 * prove it loaded the model once.
 */
public final class Session implements AutoCloseable {

    static {
        // Java API users reach the engine through here first: offline, and a usable home for DJL's natives cache.
        dev.prompttune.core.model.EngineSetup.configure();
    }

    private static Session shared;

    private final NDManager root = NDManager.newBaseManager();
    private final Map<String, T5Model> models = new LinkedHashMap<>();
    private final Map<Path, T5Tokenizer> tokenizers = new LinkedHashMap<>();
    private int modelLoads;
    private volatile boolean closed;

    /** The process-wide session (notebooks and scripts use it unless they make their own). */
    public static synchronized Session shared() {
        if (shared == null) {
            shared = new Session();
        }
        return shared;
    }

    /** The session's root manager, under which runs make their scoped managers. */
    public NDManager manager() {
        requireOpen();
        return root;
    }

    /**
     * Refuses work on a closed session in words (DJL said "NDManager has been closed already" from deep inside a
     * call): its models and tokenizers are released; runs made in it can be used in another session.
     */
    private void requireOpen() {
        if (closed) {
            throw new PromptTuneException("the session is closed (its models were released); allowed: a new session "
                    + "(new Session(), or Session.shared()); runs made in the closed one can be used there");
        }
    }

    /** The frozen model for a directory, loaded on first use. */
    public synchronized T5Model model(Path dir, String precision, String device) {
        requireOpen();
        String key = key(dir, precision, device);
        T5Model model = models.get(key);
        if (model != null && model.isClosed()) {
            // Closed by its user (a model from here is the session's to close): loaded again rather than handed out
            // released ("Native resource has been released already" at the next run).
            models.remove(key);
            model = null;
        }
        if (model == null) {
            model = T5Model.load(dir, root.newSubManager(device(device)), dataType(precision));
            models.put(key, model);
            modelLoads++;
        }
        return model;
    }

    /** Whether {@link #model} holds this model already (its weights take no more memory). */
    public synchronized boolean holds(Path dir, String precision, String device) {
        return models.containsKey(key(dir, precision, device));
    }

    /** What {@link #model} keeps a loaded model under. */
    private static String key(Path dir, String precision, String device) {
        return dir.toAbsolutePath().normalize() + "|" + dataType(precision) + "|" + device(device);
    }

    /** The weights' type for a spec's {@code precision}: {@code fp16} or (default) {@code fp32}. */
    public static DataType dataType(String precision) {
        return "fp16".equals(precision) ? DataType.FLOAT16 : DataType.FLOAT32;
    }

    /** A fresh, independent copy (model tuning changes weights; the shared frozen model must not). */
    public T5Model freshModel(Path dir, String precision, String device) {
        requireOpen();
        modelLoads++;
        return T5Model.load(dir, root.newSubManager(device(device)), dataType(precision));
    }

    public synchronized T5Tokenizer tokenizer(Path dir) {
        requireOpen();
        return tokenizers.computeIfAbsent(dir.toAbsolutePath().normalize(), T5Tokenizers::load);
    }

    /** How many times a model was loaded from disk in this session. */
    public synchronized int modelLoads() {
        return modelLoads;
    }

    /** auto: a GPU when DJL sees one, else the CPU. */
    public static Device device(String name) {
        int gpus = Engine.getInstance().getGpuCount();
        return switch (name == null ? "auto" : name) {
            case "cpu" -> Device.cpu();
            case "gpu" -> {
                if (gpus == 0) {
                    // Said plainly here: DJL's own CUDA probe warnings are silenced (simplelogger.properties).
                    boolean cudaNatives = Engine.getInstance().hasCapability(StandardCapabilities.CUDA);
                    throw new PromptTuneException("device 'gpu' requested but PyTorch sees no GPU (" + (cudaNatives
                            ? "the CUDA natives are loaded, but no usable GPU or driver was found; check nvidia-smi"
                            : "CPU natives in use; run with PROMPTTUNE_FLAVOR=cuda on a CUDA machine, see README 'GPU'")
                            + "); allowed here: auto, cpu");
                }
                yield Device.gpu();
            }
            default -> gpus > 0 ? Device.gpu() : Device.cpu();
        };
    }

    @Override
    public synchronized void close() {
        closed = true;
        models.values().forEach(T5Model::close);
        models.clear();
        tokenizers.values().forEach(T5Tokenizer::close);
        tokenizers.clear();
        root.close();
        if (shared == this) {
            shared = null;
        }
    }
}
