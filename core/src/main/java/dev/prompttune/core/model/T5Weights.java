package dev.prompttune.core.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every weight a T5 model declares, by its Hugging Face tensor name ({@code encoder.block.0.layer.0.SelfAttention.q.weight}),
 * with the shape the configuration implies. Blocks declare their weights here as they are built; the loader then
 * fills each one from the checkpoint by name, so code and checkpoint can be grepped against each other.
 */
public final class T5Weights {

    /** A declared weight: its DJL parameter and the shape the config requires, in torch layout. */
    public record Declared(String name, Parameter parameter, Shape shape) {}

    private final Map<String, Declared> declared = new LinkedHashMap<>();

    /** Declares a weight; the array arrives later, when the checkpoint is loaded. Frozen by default. */
    Parameter declare(String name, long... shape) {
        if (declared.containsKey(name)) {
            throw new IllegalStateException("weight declared twice: " + name);
        }
        Parameter p = Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.WEIGHT)
                .optRequiresGrad(false)
                .build();
        declared.put(name, new Declared(name, p, new Shape(shape)));
        return p;
    }

    /** All declared weights in declaration order (embeddings, encoder, decoder, head). */
    public Map<String, Declared> all() {
        return Collections.unmodifiableMap(declared);
    }

    /** One weight's parameter by Hugging Face name. */
    public Parameter get(String name) {
        Declared d = declared.get(name);
        if (d == null) {
            throw new IllegalArgumentException("no weight named " + name);
        }
        return d.parameter();
    }

    /** Total number of scalar weights. */
    public long count() {
        long n = 0;
        for (Declared d : declared.values()) {
            n += d.shape().size();
        }
        return n;
    }
}
