package dev.prompttune.core.train.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Live arrays stay flat over many steps, in the optimizer's manager and in the caller's. */
class OptimizerMemoryTest {

    private static final int STEPS = 2000;

    @Test
    void adafactorPaperIsFlat() {
        flat(m -> Adafactor.paper(0.3f).build(m), 1);
    }

    @Test
    void adafactorHuggingFaceFactoredWithMomentumIsFlat() {
        flat(m -> Adafactor.huggingFace(0.3f).withBeta1(0.9f).withScaleParameter(true).withWeightDecay(1e-3f).build(m), 3);
    }

    @Test
    void adamWIsFlat() {
        flat(m -> AdamW.defaults(1e-3f).build(m), 2);
    }

    private static void flat(Function<NDManager, Optimizer> make, int stateTensors) {
        try (NDManager root = NDManager.newBaseManager();
             NDManager params = root.newSubManager();
             Optimizer opt = make.apply(root)) {
            NDArray p = params.randomNormal(new Shape(20, 512));
            NDArray g = params.randomNormal(new Shape(20, 512)).muli(0.01f);
            opt.step(p, g);
            int optArrays = opt.manager().getManagedArrays().size();
            int paramArrays = params.getManagedArrays().size();
            int rootArrays = root.getManagedArrays().size();
            assertEquals(stateTensors, optArrays, "state arrays after step 1");
            for (int i = 1; i < STEPS; i++) {
                opt.step(p, g);
                if (i % 500 == 0) {
                    assertEquals(optArrays, opt.manager().getManagedArrays().size(), "optimizer arrays at step " + i);
                    assertEquals(paramArrays, params.getManagedArrays().size(), "parameter manager arrays at step " + i);
                }
            }
            assertEquals(optArrays, opt.manager().getManagedArrays().size());
            assertEquals(paramArrays, params.getManagedArrays().size());
            assertEquals(rootArrays, root.getManagedArrays().size());
            assertEquals(STEPS, opt.stepCount());
            assertTrue(Float.isFinite(p.sum().getFloat()));
        }
    }

    @Test
    void stateSurvivesTheCallersScope() {
        try (NDManager root = NDManager.newBaseManager(); Adafactor opt = Adafactor.paper(0.3f).build(root)) {
            NDArray p = root.ones(new Shape(4, 4));
            NDArray g = root.ones(new Shape(4, 4));
            try (NDScope scope = new NDScope()) {
                opt.step(p, g); // state created here must not be closed with the caller's scope
                scope.suppressNotUsedWarning();
            }
            NDArray v = opt.stateOf("#0")[0];
            assertFalse(v.isReleased());
            opt.step(p, g);
            assertEquals(1f + 1e-30f, v.toFloatArray()[0], 0f);
        }
    }

    @Test
    void zeroGradientsClearsAccumulatedGradients() {
        try (NDManager root = NDManager.newBaseManager()) {
            NDArray p = root.ones(new Shape(3));
            p.setRequiresGradient(true);
            for (int i = 0; i < 2; i++) {
                try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                    c.backward(p.mul(2f).sum());
                }
            }
            assertEquals(4f, p.getGradient().toFloatArray()[0], "DJL accumulates across collectors");
            Optimizer.zeroGradients(List.of(p));
            assertEquals(0f, p.getGradient().toFloatArray()[0]);
        }
    }

    @Test
    void misuseIsRejected() {
        try (NDManager root = NDManager.newBaseManager()) {
            Adafactor opt = Adafactor.paper(0.3f).build(root);
            NDArray p = root.ones(new Shape(4, 4));
            assertThrows(IllegalArgumentException.class, () -> opt.step(p, root.ones(new Shape(16))));
            assertThrows(IllegalArgumentException.class, () -> opt.step(List.of(p), List.of()));
            opt.step(p, root.ones(new Shape(4, 4)));
            NDArray other = root.ones(new Shape(2, 8));
            assertThrows(IllegalArgumentException.class, () -> opt.step(other, root.ones(new Shape(2, 8))));
            opt.close();
            assertThrows(IllegalStateException.class, () -> opt.step(p, root.ones(new Shape(4, 4))));
            assertSame(opt.manager(), opt.manager());
        }
    }
}
