package dev.prompttune.core.prompt;

import dev.prompttune.core.PromptTuneException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Uniform random values in [low, high). The paper says [-0.5, 0.5] (the default); its reference code draws from
 * [0, 0.5) — pass that range to reproduce it.
 */
public record RandomInit(float low, float high) implements PromptInit {

    public RandomInit {
        if (!(low < high) || !Float.isFinite(low) || !Float.isFinite(high)) {
            throw new PromptTuneException("random init range [" + low + ", " + high + "] is empty or not finite; "
                    + "allowed: finite low < high");
        }
    }

    @Override
    public float[] values(InitContext ctx) {
        SplittableRandom random = new SplittableRandom(ctx.seed());
        float[] out = new float[ctx.length() * ctx.width()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (low + (high - (double) low) * random.nextDouble());
        }
        return out;
    }

    @Override
    public String kind() {
        return "random";
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("kind", kind());
        d.put("low", low);
        d.put("high", high);
        return d;
    }
}
