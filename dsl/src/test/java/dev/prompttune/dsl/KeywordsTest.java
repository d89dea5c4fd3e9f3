package dev.prompttune.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.prompttune.core.promptfile.PromptFile;
import dev.prompttune.core.spec.PromptTuneSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every keyword of the promptTune block lands in the spec under the same name, from Groovy and from Java. */
@ExtendWith(HomeExtension.class)
class KeywordsTest {

    static Path task;
    static Path promptFile;
    static Path tagged;

    @BeforeAll
    static void files() throws Exception {
        task = HomeExtension.home().resolve("data/tasks/markers");
        Path dir = Files.createTempDirectory("prompttune-keywords");
        promptFile = PromptFile.save(dir, "p", new float[4 * 32], 4, 32, null);
        // The marker task with its label field named "tag", so `labelField 'tag'` names a field the data has (the
        // script's settings are checked against the data before it runs).
        tagged = Files.createDirectories(dir.resolve("tagged"));
        for (String split : List.of("train", "dev", "test")) {
            Files.writeString(tagged.resolve(split + ".jsonl"),
                    Files.readString(task.resolve(split + ".jsonl")).replace("\"label\":", "\"tag\":"));
        }
    }

    /** keyword, the line in the block, the spec.json key, the expected JSON value. */
    static Stream<Arguments> keywords() {
        String train = task.resolve("train.jsonl").toString();
        String dev = task.resolve("dev.jsonl").toString();
        String test = task.resolve("test.jsonl").toString();
        return Stream.of(
                Arguments.of("name", "name 'first'", "name", "\"first\""),
                Arguments.of("model", "model 'tiny'", "model", "\"tiny\""),
                Arguments.of("length", "length 7", "length", "7"),
                Arguments.of("init", "init 'random'", "init", "{\"kind\":\"random\",\"low\":-0.5,\"high\":0.5}"),
                Arguments.of("init", "init 'vocab'", "init", null),
                Arguments.of("init", "init 'labels'", "init", "{\"kind\":\"labels\",\"rest\":\"vocab top 5000\"}"),
                Arguments.of("text", "init text('a city')", "init", "{\"kind\":\"text\",\"text\":\"a city\"}"),
                Arguments.of("file", "init file('" + promptFile + "'); length 4", "init", "{\"kind\":\"file\",\"path\":\"" + promptFile + "\"}"),
                Arguments.of("placement", "placement 'suffix'", "placement", "\"suffix\""),
                Arguments.of("data", "data 'markers'", "data", "\"markers\""),
                Arguments.of("data", "data train: '" + train + "', dev: '" + dev + "'", "dev", "\"" + dev + "\""),
                Arguments.of("train", "train '" + train + "'", "train", "\"" + train + "\""),
                Arguments.of("dev", "dev '" + dev + "'", "dev", "\"" + dev + "\""),
                Arguments.of("test", "test '" + test + "'", "test", "\"" + test + "\""),
                Arguments.of("template", "template 'text: {text}'", "template", "\"text: {text}\""),
                Arguments.of("labels", "labels a: 'yes', b: 'no'", "labels", "{\"a\":\"yes\",\"b\":\"no\"}"),
                Arguments.of("labelField", "labelField 'tag'; data train: '" + tagged.resolve("train.jsonl") + "', dev: '"
                        + tagged.resolve("dev.jsonl") + "', test: '" + tagged.resolve("test.jsonl") + "'", "labelField", "\"tag\""),
                Arguments.of("optimizer", "optimizer 'adamw'", "optimizer", "\"adamw\""),
                Arguments.of("optimizer", "optimizer('adamw') { lr 0.001; weightDecay 0.02; schedule 'warmup:10' }", "weightDecay", "0.02"),
                Arguments.of("lr", "lr 0.5", "lr", "0.5"),
                Arguments.of("weightDecay", "weightDecay 0.001", "weightDecay", "0.001"),
                Arguments.of("schedule", "schedule 'linear:10:100'", "schedule", "\"linear:10:100\""),
                Arguments.of("batch", "batch 4", "batch", "4"),
                Arguments.of("steps", "steps 123", "steps", "123"),
                Arguments.of("epochs", "epochs 3", "epochs", "3"),
                Arguments.of("gradientAccumulation", "gradientAccumulation 2", "gradientAccumulation", "2"),
                Arguments.of("evalEvery", "evalEvery 25", "evalEvery", "25"),
                Arguments.of("patience", "patience 4", "patience", "4"),
                Arguments.of("seed", "seed 7", "seed", "7"),
                Arguments.of("dropout", "dropout 0.2", "dropout", "0.2"),
                Arguments.of("device", "device 'cpu'", "device", "\"cpu\""),
                Arguments.of("precision", "precision 'fp16'", "precision", "\"fp16\""),
                Arguments.of("sentinel", "sentinel true", "sentinel", "true"),
                Arguments.of("loss", "loss 'classes'", "loss", "\"classes\""),
                Arguments.of("metric", "metric 'macro_f1'", "metric", "\"macro_f1\""),
                Arguments.of("evaluation", "evaluation 'generate'", "evaluation", "\"generate\""),
                Arguments.of("maxInputLength", "maxInputLength 64", "maxInputLength", "64"),
                Arguments.of("maxTargetLength", "maxTargetLength 8", "maxTargetLength", "8"),
                Arguments.of("evalBatch", "evalBatch 16", "evalBatch", "16"),
                Arguments.of("save", "save 'elsewhere'", "save", "\"elsewhere\""),
                Arguments.of("baselines", "baselines 'design', 'modelTuning'", "baselines", "[\"design\",\"modelTuning\"]"),
                Arguments.of("calibrate", "calibrate true", "calibrate", "true"),
                Arguments.of("reparam", "reparam 'residual'", "reparam", "\"residual\""),
                Arguments.of("reparamBottleneck", "reparamBottleneck 16", "reparamBottleneck", "16"),
                Arguments.of("cluster", "cluster 'local[2]'", "cluster", "{\"master\":\"local[2]\",\"workers\":2,\"conf\":{}}"),
                Arguments.of("cluster", "cluster { master 'spark://head:7077'; workers 8; conf 'spark.executor.memory', '16g' }",
                        "cluster", "{\"master\":\"spark://head:7077\",\"workers\":8,\"conf\":{\"spark.executor.memory\":\"16g\"}}"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("keywords")
    void keywordSetsTheSpecFieldOfTheSameName(String keyword, String line, String key, String expected) {
        PromptTuneSpec spec = new Recording().last("promptTune {\n    model 'tiny'\n    data 'markers'\n    " + line + "\n}\n");
        JsonObject json = spec.toJson();
        assertTrue(json.has(key), key);
        if (expected != null) {
            assertEquals(expected, json.get(key).toString(), line);
        } else {
            assertEquals("vocab", json.getAsJsonObject(key).get("kind").getAsString(), line);
        }
    }

    @Test
    void everyKeywordHasACase() {
        Set<String> tested = new HashSet<>();
        keywords().forEach(a -> tested.add((String) a.get()[0]));
        for (String k : TuneSpec.KEYWORDS) {
            assertTrue(tested.contains(k), "no test for keyword " + k);
        }
    }

    /**
     * A spec field is written once in core (its component, its builder setter) and once here (its keyword method):
     * the keyword list and the spec.json key follow from the field, and this fails when either is missing.
     */
    @Test
    void everySpecFieldIsAKeywordWithAMethodAndAJsonKey() {
        JsonObject json = new Recording().last("promptTune { model 'tiny'; data 'markers' }").toJson();
        assertEquals(PromptTuneSpec.fieldNames(), List.copyOf(json.keySet()), "spec.json keys are the fields, in order");
        for (String field : PromptTuneSpec.fieldNames()) {
            if (field.equals("fastDevRun")) {
                continue; // set by the fast-dev-run switch, never by a script
            }
            assertTrue(TuneSpec.KEYWORDS.contains(field), "field " + field + " is no keyword");
            assertTrue(java.util.Arrays.stream(TuneSpec.class.getMethods()).anyMatch(m -> m.getName().equals(field)),
                    "keyword " + field + " has no method in TuneSpec");
        }
    }

    /** The Java twin: the same block as a Consumer<TuneSpec> gives the same spec. */
    /**
     * A script's {@code @Field} variables and methods are seen inside blocks, sweeps and nested optimizer blocks (they
     * were "unknown keyword 'n'" at compile time, and a missing property when run).
     */
    @Test
    void scriptFieldsAndMethodsAreSeenInsideBlocks() {
        Recording r = new Recording();
        PromptTuneSpec spec = r.last("""
                import groovy.transform.Field
                @Field int n = 7
                @Field String tmpl = 'classify: {text}'
                @Field double rate = 0.002
                promptTune {
                    model 'tiny'; data 'markers'
                    length n
                    template tmpl
                    optimizer('adamw') { lr rate }
                }
                """);
        assertEquals(7, spec.length());
        assertEquals("classify: {text}", spec.template());
        assertEquals(0.002, spec.lr());
        r.last("""
                import groovy.transform.Field
                @Field int n = 2
                sweep {
                    model 'tiny'; data 'markers'
                    length n, n + 1
                }
                """);
        assertEquals(List.of(2, 3), r.specs.subList(r.specs.size() - 2, r.specs.size()).stream()
                .map(PromptTuneSpec::length).toList());
        // The script's own methods too (they were "unknown keyword 'len'"); a keyword's name stays the keyword.
        spec = r.last("""
                int len() { 6 }
                String task(String t) { t }
                int seed() { 99 }
                promptTune {
                    model 'tiny'; data task('markers')
                    length len() + 1
                    seed 4
                }
                """);
        assertEquals(7, spec.length());
        assertEquals(4L, spec.seed());
    }

    @Test
    void javaTwinBuildsTheSameSpec() {
        String script = """
                promptTune {
                    model 'tiny'; data 'markers'; length 12; init text('a city'); placement 'after_first'
                    labels a: 'good', b: 'never'; optimizer('adamw') { lr 0.001; weightDecay 0.02 }
                    batch 8; steps 50; evalEvery 10; patience 2; seed 3; dropout 0.05; sentinel true; loss 'classes'
                    name 'twin'; save 'out'; baselines 'design'; calibrate true; reparam 'residual'; reparamBottleneck 8
                    cluster { master 'local[3]'; conf 'spark.task.cpus', '1' }
                }
                """;
        PromptTuneSpec groovy = new Recording().last(script);
        Recording java = new Recording();
        java.promptTune(s -> s.model("tiny").data("markers").length(12).init(s.text("a city")).placement("after_first")
                .labels(Map.of("a", "good", "b", "never")).optimizer("adamw", o -> o.lr(0.001).weightDecay(0.02))
                .batch(8).steps(50).evalEvery(10).patience(2).seed(3).dropout(0.05).sentinel(true).loss("classes").name("twin").save("out")
                .baselines("design").calibrate(true).reparam("residual").reparamBottleneck(8)
                .cluster(c -> c.master("local[3]").conf("spark.task.cpus", "1")));
        JsonObject a = groovy.toJson();
        JsonObject b = java.specs.get(0).toJson();
        a.remove("labels");
        b.remove("labels"); // Map.of has no order; compared below
        assertEquals(a, b);
        assertEquals(groovy.labels(), java.specs.get(0).labels());
    }

    /** Settings are replayable: the block is what the spec says, in the order given (a later value wins). */
    @Test
    void laterValueWins() {
        PromptTuneSpec spec = new Recording().last("promptTune { data 'markers'; model 'tiny'; length 3; length 4; steps 10; epochs 2 }");
        assertEquals(4, spec.length());
        assertEquals(2, spec.epochs());
        assertEquals(List.of("design", "majority"), spec.baselines());
    }
}
