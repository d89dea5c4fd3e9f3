package dev.prompttune.core.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.google.gson.JsonObject;
import dev.prompttune.core.prompt.Placement;
import dev.prompttune.core.prompt.PromptInit;
import dev.prompttune.core.prompt.RandomInit;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The parts of a spec that follow from its fields (JSON, copying into a builder, construction) keep every field:
 * a spec with every field away from its default survives both trips unchanged.
 */
class SpecFieldsTest {

    static PromptTuneSpec everyFieldSet() {
        return PromptTuneSpec.builder().name("n").model("m").length(7).init(new RandomInit(-0.25f, 0.25f))
                .placement(Placement.AFTER_FIRST).data("spam").train(Path.of("a.jsonl")).dev(Path.of("b.jsonl"))
                .test(Path.of("c.jsonl")).template("t: {text}").labels(Map.of("x", "yes")).labelField("tag")
                .optimizer("adamw").lr(0.01).weightDecay(0.02).schedule("linear:10:100").batch(4).steps(9).epochs(2)
                .gradientAccumulation(3).evalEvery(5).patience(2).seed(11).dropout(0.05).device("cpu").precision("fp16")
                .sentinel(true).loss("classes").metric("macro_f1").evaluation("rank").maxInputLength(33).maxTargetLength(5).evalBatch(6)
                .save(Path.of("elsewhere")).baselines("design").calibrate(true).reparam("residual").reparamBottleneck(8)
                .cluster(ClusterSpec.of("spark://head:7077", 3, Map.of("spark.executor.memory", "2g"))).fastDevRun(true).build();
    }

    @Test
    void jsonAndBuilderTripsKeepEveryField() {
        PromptTuneSpec spec = everyFieldSet();
        PromptTuneSpec defaults = PromptTuneSpec.builder().data("spam").build();
        for (String field : PromptTuneSpec.fieldNames()) {
            if (!field.equals("data") && !field.equals("evaluation")) {
                assertNotEquals(defaults.toJson().get(field), spec.toJson().get(field), field + " is at its default here");
            }
        }
        assertEquals(spec, spec.toBuilder().build());
        JsonObject json = spec.toJson();
        PromptTuneSpec back = PromptTuneSpec.fromJson(json, o -> new RandomInit(o.get("low").getAsFloat(), o.get("high").getAsFloat()));
        assertEquals(spec, back);
        assertEquals(json, back.toJson());
    }

    @Test
    void resolvedDefaultsAreWrittenAndReadBack() {
        PromptTuneSpec spec = PromptTuneSpec.builder().data("spam").build();
        assertEquals("spam-labels-100", spec.name());
        assertEquals(PromptInit.labels(), spec.init());
        assertEquals(1e-5, spec.weightDecay(), 0.0);
        assertEquals(spec, PromptTuneSpec.fromJson(spec.toJson(), o -> PromptInit.labels()));
    }
}
