package dev.prompttune.core.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.nio.file.Path;

/**
 * A T5 encoder-decoder (T5 1.0, 1.1, LM-adapted, Flan-T5) as DJL blocks, with Hugging Face semantics.
 *
 * <p>The pieces are exposed separately because prompt tuning needs them separately: {@link #embed} turns ids into
 * embeddings [B, T, H] (a soft prompt is concatenated to these), {@link #encode} takes embeddings plus mask,
 * {@link #decode} runs the teacher-forced decoder, {@link #logits} applies the LM head and {@link #loss} the
 * cross-entropy. All weights live in the model's own manager; every array a call creates belongs to the manager
 * of its inputs, so callers scope a step by creating its inputs in a sub-manager.
 *
 * <p>Weights are frozen (no gradient) unless {@link #setTrainable(boolean)} says otherwise.
 */
public final class T5Model extends T5Module implements AutoCloseable {

    /** Label value that the loss ignores, as in the reference. */
    public static final long IGNORE_INDEX = -100;

    private final T5Config config;
    private final NDManager manager;
    private final DataType dataType;
    private final Parameter shared;
    private final Parameter lmHead;
    private final T5Encoder encoder;
    private final T5Decoder decoder;
    private final DropoutSetting dropout;
    private String source = "(random)";

    /** Builds an empty model: every weight declared, none loaded. Use {@link #load} for a checkpoint. */
    T5Model(T5Config config, NDManager manager, DataType dataType) {
        super(new T5Weights());
        if (dataType != DataType.FLOAT32 && dataType != DataType.FLOAT16) {
            throw new IllegalArgumentException("model dtype must be FLOAT32 or FLOAT16, got " + dataType);
        }
        this.config = config;
        this.manager = manager;
        this.dataType = dataType;
        this.shared = weight("shared.weight", config.vocabSize, config.dModel);
        this.dropout = new DropoutSetting(config.dropoutRate);
        this.encoder = addChildBlock("encoder", new T5Encoder(weights, config, dropout));
        this.decoder = addChildBlock("decoder", new T5Decoder(weights, config, dropout));
        this.lmHead = config.tieWordEmbeddings ? null : weight("lm_head.weight", config.vocabSize, config.dModel);
    }

    /**
     * Loads a Hugging Face T5 checkpoint directory ({@code config.json} + safetensors) in float32.
     *
     * @param manager parent manager; the model creates and owns a sub-manager for its weights
     */
    public static T5Model load(Path dir, NDManager manager) {
        return load(dir, manager, DataType.FLOAT32);
    }

    /** Loads a checkpoint with weights converted to {@code dataType} (FLOAT32 or FLOAT16). */
    public static T5Model load(Path dir, NDManager manager, DataType dataType) {
        T5Config config = T5Config.load(dir);
        T5Model model = new T5Model(config, manager.newSubManager(), dataType);
        try {
            T5CheckpointLoader.load(model, dir);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        model.source = dir.toString();
        return model;
    }

    /**
     * A model with random weights drawn as T5 initialises them (Mesh TensorFlow / Hugging Face {@code _init_weights},
     * factor 1): embeddings and head N(0, 1); q N(0, (d_model·d_kv)^-½); k, v N(0, d_model^-½); o N(0, (heads·d_kv)^-½);
     * relative bias N(0, d_model^-½); wi N(0, d_model^-½); wo N(0, d_ff^-½); norms 1. Deterministic in the seed.
     */
    public static T5Model random(T5Config config, NDManager manager, long seed) {
        T5Model model = new T5Model(config, manager.newSubManager(), DataType.FLOAT32);
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        for (T5Weights.Declared d : model.weights.all().values()) {
            float[] values = new float[Math.toIntExact(d.shape().size())];
            double std = initStd(d.name(), config);
            for (int i = 0; i < values.length; i++) {
                values[i] = std == 0 ? 1f : (float) (gaussian(random) * std);
            }
            NDArray blob = model.manager.create(values, d.shape());
            d.parameter().setArray(blob.duplicate()); // torch-owned memory, not a Java direct buffer
            blob.close();
        }
        return model;
    }

    /** Standard deviation T5 initialises a weight with; 0 marks a norm (initialised to ones). */
    static double initStd(String name, T5Config c) {
        if (name.endsWith("layer_norm.weight")) {
            return 0;
        }
        if (name.equals("shared.weight") || name.equals("lm_head.weight")) {
            return 1.0;
        }
        if (name.endsWith(".q.weight")) {
            return Math.pow((double) c.dModel * c.dKv, -0.5);
        }
        if (name.endsWith(".o.weight")) {
            return Math.pow((double) c.numHeads * c.dKv, -0.5);
        }
        if (name.endsWith(".wo.weight")) {
            return Math.pow(c.dFf, -0.5);
        }
        return Math.pow(c.dModel, -0.5); // k, v, relative bias, wi, wi_0, wi_1
    }

    private static double gaussian(java.util.SplittableRandom r) {
        // Box–Muller: SplittableRandom has no nextGaussian on Java 17.
        double u = 1.0 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    public T5Config config() {
        return config;
    }

    /** Weights by Hugging Face name. */
    public T5Weights weights() {
        return weights;
    }

    /** The manager that owns the weights. */
    public NDManager manager() {
        return manager;
    }

    public Device device() {
        return manager.getDevice();
    }

    /** FLOAT32 or FLOAT16: the dtype of weights and activations. */
    public DataType dataType() {
        return dataType;
    }

    /** Where the weights came from (a directory), for records and messages. */
    public String source() {
        return source;
    }

    /** The input embedding table [V, H] ({@code shared.weight}). */
    public NDArray embeddingTable() {
        return shared.getArray();
    }

    /** The dropout rate used in training mode (initially the checkpoint's {@code dropout_rate}). */
    public float dropoutRate() {
        return dropout.get();
    }

    /** Overrides the dropout rate for training mode; 0 ≤ rate < 1. */
    public void setDropoutRate(float rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new dev.prompttune.core.PromptTuneException("dropout " + rate + " is out of range; allowed: 0 <= dropout < 1");
        }
        dropout.set(rate);
    }

    /** Unfreezes (true) or freezes (false) every weight: model tuning versus prompt tuning. */
    public void setTrainable(boolean trainable) {
        for (T5Weights.Declared d : weights.all().values()) {
            d.parameter().freeze(!trainable);
        }
    }

    /** Total number of weights. */
    public long parameterCount() {
        return weights.count();
    }

    /**
     * Token embeddings.
     *
     * @param ids [B, T] int64
     * @return [B, T, H] in the model dtype
     */
    public NDArray embed(NDArray ids) {
        return ai.djl.nn.core.Embedding.embedding(ids, shared.getArray(), SparseFormat.DENSE).singletonOrThrow();
    }

    /**
     * Encoder over embeddings (this is where prompts enter).
     *
     * @param embeddings [B, T, H]
     * @param attentionMask [B, T], 1 for real tokens
     * @return [B, T, H]
     */
    public NDArray encode(NDArray embeddings, NDArray attentionMask, boolean training) {
        return encoder.forward(embeddings, attentionMask, training);
    }

    /**
     * Teacher-forced decoder.
     *
     * @param decoderInputIds [B, L] int64 (see {@link #shiftRight})
     * @param encoderHidden [B, S, H]
     * @param encoderMask [B, S]
     * @return decoder output [B, L, H], before the head
     */
    public NDArray decode(NDArray decoderInputIds, NDArray encoderHidden, NDArray encoderMask, boolean training) {
        return decoder.forward(embed(decoderInputIds), encoderHidden, encoderMask, training);
    }

    /**
     * Teacher-forced decoder for G targets per encoder row (every class of a row, in rank classification): the same
     * as {@link #decode} over the encoder output repeated G times (row b·G + g reads row b), with each block's
     * cross-attention keys and values projected once per row.
     *
     * @param decoderInputIds [B·G, L] int64
     * @param encoderHidden [B, S, H]
     * @param encoderMask [B, S]
     * @param group G, at least 1
     * @return decoder output [B·G, L, H], before the head
     */
    public NDArray decodeGrouped(NDArray decoderInputIds, NDArray encoderHidden, NDArray encoderMask, int group,
                                 boolean training) {
        return decoder.forward(embed(decoderInputIds), encoderHidden, encoderMask, group, training);
    }

    /**
     * LM head: T5 1.0 scales by d_model^-0.5 and reuses the embedding table; T5 1.1 has its own head.
     *
     * @param decoderHidden [B, L, H]
     * @return logits [B, L, V] (float32 even for a half-precision model)
     */
    public NDArray logits(NDArray decoderHidden) {
        NDArray h = config.scaleDecoderOutputs ? Scalars.mul(decoderHidden, (float) Math.pow(config.dModel, -0.5)) : decoderHidden;
        NDArray logits = linear(h, lmHead != null ? lmHead : shared);
        return Casts.to(logits, DataType.FLOAT32);
    }

    /**
     * Mean cross-entropy over label positions that are not {@link #IGNORE_INDEX}.
     *
     * @param logits [B, L, V]
     * @param labels [B, L] int64
     * @return scalar loss
     */
    public static NDArray loss(NDArray logits, NDArray labels) {
        NDArray valid = labels.neq(IGNORE_INDEX);
        return labelLogProbs(logits, labels, valid).sum().neg().div(valid.toType(DataType.FLOAT32, false).sum());
    }

    /**
     * Each row's log-likelihood of its target, differentiable: Σ over positions whose label is not
     * {@link #IGNORE_INDEX} of log p(label token). (Scoring without gradients uses
     * {@link dev.prompttune.core.eval.RankClassifier#sequenceLogLikelihoods}, which sums in float64.)
     *
     * @param logits [N, L, V]
     * @param labels [N, L] int64
     * @return [N] float32
     */
    public static NDArray sequenceLogLikelihood(NDArray logits, NDArray labels) {
        return labelLogProbs(logits, labels, labels.neq(IGNORE_INDEX)).sum(new int[] {1});
    }

    /**
     * log p(label token) at each position, 0 where the label is {@link #IGNORE_INDEX}: [N, L] float32.
     *
     * @param valid [N, L] boolean, labels != IGNORE_INDEX
     */
    private static NDArray labelLogProbs(NDArray logits, NDArray labels, NDArray valid) {
        NDArray safeLabels = labels.mul(valid.toType(DataType.INT64, false)); // -100 → 0, then masked out
        NDArray picked = logits.logSoftmax(-1).gather(safeLabels.expandDims(-1), -1).squeeze(-1);
        return picked.mul(valid.toType(DataType.FLOAT32, false));
    }

    /**
     * Hugging Face's {@code _shift_right}: decoder inputs are [start, labels[:-1]] with ignored positions as pad.
     *
     * @param labels [B, L] int64
     * @return [B, L] int64
     */
    public NDArray shiftRight(NDArray labels) {
        long rows = labels.getShape().get(0);
        long length = labels.getShape().get(1);
        // NDManager.full has no long overload (a long would widen to float): build the start column explicitly.
        long[] starts = new long[(int) rows];
        java.util.Arrays.fill(starts, config.decoderStartTokenId);
        NDArray start = labels.getManager().create(starts, new Shape(rows, 1)).toDevice(labels.getDevice(), false);
        NDArray shifted = start.concat(labels.get(":, :" + (length - 1)), 1);
        NDArray ignored = shifted.eq(IGNORE_INDEX);
        return shifted.add(ignored.toType(DataType.INT64, false).mul(config.padTokenId - IGNORE_INDEX));
    }

    /**
     * Greedy generation from encoder embeddings (plain or prompted), with a key/value cache.
     *
     * @param embeddings [B, T, H]
     * @param attentionMask [B, T]
     * @return ids [B, ≤ maxNewTokens + 1], starting with the decoder start token; finished rows padded with pad
     */
    public long[][] generate(NDArray embeddings, NDArray attentionMask, int maxNewTokens) {
        return GreedyDecoder.generate(this, embeddings, attentionMask, maxNewTokens);
    }

    /** Generation from token ids. */
    public long[][] generate(NDArray inputIds, NDArray attentionMask, int maxNewTokens, boolean fromIds) {
        return generate(embed(inputIds), attentionMask, maxNewTokens);
    }

    DecoderCache newDecoderCache(NDArray encoderHidden, NDArray encoderMask) {
        return decoder.newCache(encoderHidden, encoderMask);
    }

    NDArray decodeStep(NDArray tokenIds, DecoderCache cache) {
        return decoder.step(embed(tokenIds), cache);
    }

    /** DJL entry point: inputs (input_ids [B,T], attention_mask [B,T], decoder_input_ids [B,L]) → logits [B,L,V]. */
    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.get(0);
        NDArray mask = inputs.get(1);
        NDArray hidden = encode(embed(ids), mask, training);
        return new NDList(logits(decode(inputs.get(2), hidden, mask, training)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[2].get(0), inputShapes[2].get(1), config.vocabSize)};
    }

    @Override
    public void close() {
        manager.close();
    }

    /** Whether {@link #close} released the weights. */
    public boolean isClosed() {
        return !manager.isOpen();
    }
}
