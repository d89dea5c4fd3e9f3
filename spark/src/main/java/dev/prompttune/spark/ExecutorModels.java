package dev.prompttune.spark;

import ai.djl.ndarray.NDManager;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.promptfile.EmbeddingFingerprint;
import dev.prompttune.core.run.Session;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Each executor's frozen model replicas, loaded once per executor JVM (never per task) and shared by its task
 * threads, keyed by model directory, precision, device and embedding fingerprint. A replica whose fingerprint is
 * not the driver's (another checkpoint under the same path on this machine) is refused, naming both.
 */
final class ExecutorModels {

    private static final NDManager ROOT = NDManager.newBaseManager();
    private static final Map<String, T5Model> MODELS = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    private ExecutorModels() {}

    static T5Model get(String dir, String precision, String device, String fingerprint) {
        String key = dir + "|" + precision + "|" + device + "|" + fingerprint;
        return MODELS.computeIfAbsent(key, k -> load(dir, precision, device, fingerprint));
    }

    private static T5Model load(String dir, String precision, String device, String fingerprint) {
        T5Model model = T5Model.load(Path.of(dir), ROOT.newSubManager(Session.device(device)), Session.dataType(precision));
        LOADS.incrementAndGet();
        String here = EmbeddingFingerprint.of(model.embeddingTable());
        if (!here.equals(fingerprint)) {
            model.close();
            throw new PromptTuneException("cluster: the model at " + dir + " on this executor has embedding fingerprint "
                    + here + ", the driver's " + fingerprint + "; allowed: the same checkpoint on every executor");
        }
        return model;
    }

    /** Models loaded from disk by this JVM's executors so far. */
    static int loads() {
        return LOADS.get();
    }
}
