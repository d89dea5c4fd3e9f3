package dev.prompttune.tools.bench;

import com.google.gson.JsonObject;
import dev.prompttune.core.model.T5Config;

/**
 * The benchmark's model and batch shape. Default: t5-small-shaped (d_model 512, d_kv 64, d_ff 2048, 6+6 layers,
 * 8 heads, vocab 32128, gated-GELU, untied head, dropout 0.1), batch 8, encoder length 128, label length 4,
 * prompt length 20.
 */
public record BenchShape(int dModel, int dKv, int dFf, int layers, int heads, int vocab, int batch, int encoderLength,
                         int labelLength, int promptLength, float dropout) {

    public static BenchShape t5Small() {
        return new BenchShape(512, 64, 2048, 6, 8, 32128, 8, 128, 4, 20, 0.1f);
    }

    /** A tiny shape (2+2 layers, d_model 32, vocab 100, batch 8, 12 tokens) for tests of the benchmark itself. */
    public static BenchShape tiny() {
        return new BenchShape(32, 8, 64, 2, 4, 100, 8, 12, 3, 4, 0.1f);
    }

    public T5Config config() {
        String json = "{\"model_type\":\"t5\",\"vocab_size\":" + vocab + ",\"d_model\":" + dModel + ",\"d_kv\":" + dKv
                + ",\"d_ff\":" + dFf + ",\"num_layers\":" + layers + ",\"num_decoder_layers\":" + layers + ",\"num_heads\":"
                + heads + ",\"feed_forward_proj\":\"gated-gelu\",\"tie_word_embeddings\":false,\"dropout_rate\":" + dropout + "}";
        return T5Config.parse(json, "benchmark shape");
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("d_model", dModel);
        o.addProperty("d_kv", dKv);
        o.addProperty("d_ff", dFf);
        o.addProperty("layers", layers);
        o.addProperty("heads", heads);
        o.addProperty("vocab", vocab);
        o.addProperty("batch", batch);
        o.addProperty("encoder_length", encoderLength);
        o.addProperty("label_length", labelLength);
        o.addProperty("prompt_length", promptLength);
        o.addProperty("dropout", dropout);
        return o;
    }
}
