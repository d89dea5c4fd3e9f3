package dev.prompttune.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import dev.prompttune.core.testing.Fixtures;
import dev.prompttune.core.verify.T5Verifier;
import dev.prompttune.core.verify.VerificationReport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The convolution route of {@link Linears} computes what torch's {@code linear} does, values and gradients (to the
 * input and, when trainable, to the weight), at t5-small widths where the summation order differs from MKL's.
 */
class LinearsTest {

    /** Where the gate is shut the route is never taken (and would kill the test JVM): nothing to compare. */
    @BeforeEach
    void routeIsAllowedHere() {
        assumeTrue(ConvLinearGate.allowed(), "the convolution route is off on this machine (ConvLinearGate)");
    }

    @Test
    void convolutionRouteMatchesLinearWithGradients() {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.randomNormal(0, 0.05f, new Shape(384, 512), ai.djl.ndarray.types.DataType.FLOAT32);
            NDArray x = m.randomNormal(new Shape(2, 150, 512));
            NDArray upstream = m.randomNormal(new Shape(2, 150, 384));
            NDArray[] viaConv = valueAndGrads(x, w, upstream, true);
            NDArray[] viaLinear = valueAndGrads(x, w, upstream, false);
            for (int i = 0; i < 3; i++) {
                float scale = viaLinear[i].abs().max().getFloat();
                float error = viaConv[i].sub(viaLinear[i]).abs().max().getFloat();
                assertTrue(error <= 1e-5f * scale, "output " + i + ": max error " + error + " at scale " + scale);
            }
            assertEquals(new Shape(2, 150, 384), viaConv[0].getShape());
        }
    }

    @Test
    void transposedInputIsHandled() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.randomNormal(new Shape(64, 96));
            NDArray x = m.randomNormal(new Shape(96, 2, 80)).transpose(1, 2, 0); // [2, 80, 96], not contiguous
            float error = Linears.apply(x, w).sub(Linear.linear(x, w).singletonOrThrow()).abs().max().getFloat();
            assertTrue(error < 1e-4f, "max error " + error);
        }
    }

    /** The fixtures are tiny (a few rows): with the threshold at 1 row they run every product through convolution. */
    @ParameterizedTest
    @ValueSource(strings = {"tiny-t5-v1_0", "tiny-t5-v1_1"})
    void parityHoldsWithEveryProductThroughConvolution(String checkpoint) {
        long saved = Linears.minRows;
        Linears.minRows = 1;
        try {
            VerificationReport report = T5Verifier.verify(Fixtures.dir(checkpoint));
            assertTrue(report.passed(), report.toJson().toString());
        } finally {
            Linears.minRows = saved;
        }
    }

    private static NDArray[] valueAndGrads(NDArray x0, NDArray w0, NDArray upstream, boolean conv) {
        long saved = Linears.minRows;
        Linears.minRows = conv ? 1 : Long.MAX_VALUE;
        try {
            NDArray x = x0.duplicate();
            NDArray w = w0.duplicate();
            x.setRequiresGradient(true);
            w.setRequiresGradient(true);
            NDArray y;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                y = Linears.apply(x, w);
                collector.backward(y.mul(upstream).sum());
            }
            return new NDArray[] {y.duplicate(), x.getGradient().duplicate(), w.getGradient().duplicate()};
        } finally {
            Linears.minRows = saved;
        }
    }
}
