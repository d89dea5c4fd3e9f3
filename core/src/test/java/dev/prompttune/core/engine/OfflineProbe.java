package dev.prompttune.core.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** Run in a child JVM by {@link OfflineEngineTest}: starts PyTorch and does one matrix product. */
public final class OfflineProbe {

    private OfflineProbe() {}

    public static void main(String[] args) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2));
            System.out.println("engine=" + Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion()
                    + " sum=" + a.matMul(a).sum().getFloat());
        }
    }
}
