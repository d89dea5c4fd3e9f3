package dev.prompttune.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.prompttune.core.testing.TinyWorld;
import org.junit.jupiter.api.Test;

/**
 * A forward pass frees its temporaries block by block ({@link Scopes}) and leaves nothing behind in the model's own
 * manager (the views {@link Linears} makes of the weights are closed at once).
 */
class ForwardMemoryTest {

    @Test
    void forwardLeavesFewArraysAndNoneInTheModel() {
        long saved = Linears.minRows;
        Linears.minRows = 1; // the convolution route, whose weight views would otherwise pile up in the model
        try (NDManager root = NDManager.newBaseManager();
             T5Model model = T5Model.random(TinyWorld.config(), root, 1)) {
            int weights = model.manager().getManagedArrays().size();
            for (int round = 0; round < 2; round++) {
                try (NDManager step = root.newSubManager()) {
                    NDArray ids = step.ones(new Shape(2, 10), DataType.INT64);
                    NDArray mask = step.ones(new Shape(2, 10), DataType.INT64);
                    int before = step.getManagedArrays().size();
                    NDArray encoded = model.encode(model.embed(ids), mask, false);
                    model.logits(model.decode(ids.get(":, :3"), encoded, mask, false));
                    int made = step.getManagedArrays().size() - before;
                    // 2 + 2 blocks would leave hundreds of intermediates without the scopes
                    assertTrue(made < 60, "arrays left in the step manager: " + made);
                }
                assertEquals(weights, model.manager().getManagedArrays().size(), "arrays left in the model's manager");
            }
        } finally {
            Linears.minRows = saved;
        }
    }
}
