package dev.prompttune.core.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;

/**
 * y = x · Wᵀ for a torch-layout weight [out, in], routed to the fastest CPU matrix multiply torch has.
 *
 * <p>Why: torch's {@code linear}/{@code mm} on float32 CPU tensors calls MKL, whose kernels on AMD processors
 * are the AVX2 ones; oneDNN (also inside libtorch) uses AVX-512 where the CPU has it. On the benchmark machine (AMD
 * EPYC, AVX-512) oneDNN does the encoder's [1184, 512] × [512, 2048] product, forward and input gradient, in half
 * the time, and the matrix products are about three quarters of a training step. torch reaches oneDNN for float32
 * only through convolution, so a linear layer over many rows is written as the 1 × 1 convolution it is:
 * x [rows, in] is viewed, without a copy, as a channels-last image [1, in, 1, rows] (the memory layout is the
 * same), the weight as [out, in, 1, 1] filters, and the channels-last result [1, out, 1, rows] is viewed back as
 * [rows, out]. The dilation of 2 changes nothing for a 1 × 1 filter; it only keeps torch from picking its
 * single-threaded fallback kernel (which it prefers for undilated 1 × 1 filters on one thread). Autograd goes
 * through torch's convolution backward, so gradients (to x, and to W when it is trainable) are exact.
 *
 * <p>Measured (one thread): [1184, 512]·[512, 2048] forward 23 ms → 11 ms, forward + input gradient 46 → 23 ms;
 * with 32 rows both take the same time, so short inputs (the decoder, one-token decoding steps) keep
 * {@code linear}. Results differ from MKL's by float32 rounding only (summation order).
 *
 * <p>Only for float32 on the CPU, and only where {@link ConvLinearGate} allows it (oneDNN kills the process on
 * machines that hide their cache sizes); everything else uses {@code linear}.
 */
final class Linears {

    /**
     * Rows from which the convolution route pays off (measured: equal at 32 rows, 1.6× faster at 128). Tests set it
     * to 1 to check the route against the reference on the tiny fixture models; -D{@value #MIN_ROWS_PROPERTY}
     * overrides it (a huge value turns the route off).
     */
    static volatile long minRows = Long.getLong(Linears.MIN_ROWS_PROPERTY, 64);

    static final String MIN_ROWS_PROPERTY = "prompttune.convLinearMinRows";

    private static final Shape ONE = new Shape(1, 1);
    private static final Shape ZERO = new Shape(0, 0);
    private static final Shape DILATION = new Shape(2, 2);

    private Linears() {}

    /** x [..., in] · weightᵀ with weight [out, in] → [..., out]. */
    static NDArray apply(NDArray x, NDArray weight) {
        Shape shape = x.getShape();
        long in = shape.get(shape.dimension() - 1);
        long rows = in == 0 ? 0 : shape.size() / in;
        if (!ConvLinearGate.allowed() || rows < minRows
                || x.getDataType() != DataType.FLOAT32 || weight.getDataType() != DataType.FLOAT32
                || !Device.Type.CPU.equals(x.getDevice().getDeviceType())) {
            return Linear.linear(x, weight).singletonOrThrow();
        }
        long out = weight.getShape().get(0);
        long[] dims = shape.getShape().clone(); // Shape hands out its own array
        dims[dims.length - 1] = out;
        // The views below are closed as soon as they are used: closing a handle frees no data (autograd and the
        // result keep what they need), and the filter view would otherwise pile up in the model's own manager.
        try (NDArray rowsView = x.reshape(1, 1, rows, in);
             NDArray image = rowsView.transpose(0, 3, 1, 2); // [1, in, 1, rows], channels-last: same memory as x
             NDArray filters = weight.reshape(out, in, 1, 1);
             NDArray y = x.getNDArrayInternal().convolution(image, filters, null, ONE, ZERO, DILATION, 1).singletonOrThrow();
             NDArray yRows = y.transpose(0, 2, 3, 1)) { // [1, 1, rows, out], contiguous
            return yRows.reshape(new Shape(dims));
        }
    }
}
