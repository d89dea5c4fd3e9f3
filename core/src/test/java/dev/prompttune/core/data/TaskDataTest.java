package dev.prompttune.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.PromptTuneException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskDataTest {

    private static final String TEMPLATE = "premise: {premise} hypothesis: {hypothesis}";

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    private static String rows(int n, String label) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append("{\"premise\": \"p").append(i).append("\", \"hypothesis\": \"h").append(i).append("\"");
            if (label != null) {
                sb.append(", \"label\": \"").append(i % 2 == 0 ? label : "not_" + label).append("\"");
            }
            sb.append("}\n");
        }
        return sb.toString();
    }

    private static Map<String, String> rte() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("entailment", "yes");
        m.put("not_entailment", "no");
        return m;
    }

    private PromptTuneException fails(TaskData.Builder b) {
        return assertThrows(PromptTuneException.class, b::build);
    }

    private static void contains(PromptTuneException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' not in: " + e.getMessage());
        }
    }

    @Test
    void buildsAndValidatesAllSplits() throws IOException {
        TaskData t = TaskData.builder().train(write("train.jsonl", rows(6, "entailment")))
                .dev(write("dev.jsonl", rows(3, "entailment"))).test(write("test.jsonl", rows(2, null)))
                .template(TEMPLATE).verbalizer(rte()).build();
        assertEquals(6, t.train().size());
        assertEquals(3, t.dev().orElseThrow().size());
        assertEquals(List.of("train", "dev", "test"), t.splits().stream().map(Split::name).toList());
        assertEquals(List.of("yes", "no"), t.verbalizer().targets());
        assertEquals("label", t.labelField());
        assertTrue(t.isLabeled(t.train()));
        assertFalse(t.isLabeled(t.test().orElseThrow()), "an unlabeled test split is allowed");
        assertEquals(Set.of("train", "dev", "test"), t.fingerprints().keySet());
        assertEquals(64, t.fingerprints().get("train").length());
        assertEquals("test", t.split("test").name());
        contains(assertThrows(PromptTuneException.class, () -> TaskData.builder()
                .train(t.train()).template(TEMPLATE).build().split("dev")), "no dev split", "train");
    }

    @Test
    void aTemplateWithoutSlotsIsRefusedNamingTheFields() throws IOException {
        Path train = write("train.csv", "premise,hypothesis,label\na,b,1\nc,d,0\n");
        for (String constant : new String[] {"", "classify this"}) {
            PromptTuneException e = assertThrows(PromptTuneException.class,
                    () -> TaskData.builder().train(train).template(constant).build());
            assertEquals("template '" + constant + "' has no {field} slot, so every example would read the same; "
                    + "allowed: a template naming at least one field of the data (premise, hypothesis), "
                    + "e.g. \"premise: {premise}\"", e.getMessage());
        }
    }

    @Test
    void identityVerbalizerComesFromTrain() throws IOException {
        TaskData t = TaskData.builder().train(write("train.csv", "premise,hypothesis,label\na,b,1\nc,d,0\ne,f,1\n"))
                .template(TEMPLATE).build();
        assertEquals(List.of("1", "0"), t.verbalizer().labels());
        assertTrue(t.verbalizer().isIdentity());
    }

    @Test
    void emptySplitNamesSplitAndFile() throws IOException {
        Path train = write("train.jsonl", rows(2, "entailment"));
        Path dev = write("dev.jsonl", "\n\n");
        contains(fails(TaskData.builder().train(train).dev(dev).template(TEMPLATE)), "dev split is empty",
                dev.toString());
        Path emptyTrain = write("empty.csv", "premise,hypothesis,label\n");
        contains(fails(TaskData.builder().train(emptyTrain).template(TEMPLATE)), "train split is empty",
                emptyTrain.toString());
    }

    @Test
    void missingSlotNamesExampleLocation() throws IOException {
        Path train = write("train.jsonl", rows(2, "entailment"));
        Path dev = write("dev.jsonl", rows(1, "entailment") + "{\"premise\": \"x\", \"label\": \"entailment\"}\n");
        contains(fails(TaskData.builder().train(train).dev(dev).template(TEMPLATE)), "'{hypothesis}'",
                dev + ":2", "premise, label");
    }

    /**
     * An empty label cell is named where it is, with or without given labels (it was "the labels name a class ''
     * (mapped to '')" beside "unknown label ''").
     */
    @Test
    void anEmptyLabelIsNamedWhereItIs() throws IOException {
        Path train = write("empty-label.jsonl", rows(2, "entailment")
                + "{\"premise\": \"x\", \"hypothesis\": \"y\", \"label\": \"\"}\n");
        String expected = train + ":3: the label field 'label' is empty; allowed: a label in every labelled example";
        contains(fails(TaskData.builder().train(train).template(TEMPLATE)), expected);
        contains(fails(TaskData.builder().train(train).template(TEMPLATE).verbalizer(rte())), expected);
    }

    @Test
    void unknownLabelInDevNamesLabelLocationAndKnownLabels() throws IOException {
        Path train = write("train.jsonl", rows(2, "entailment"));
        Path dev = write("dev.jsonl", rows(2, "entailment")
                + "{\"premise\": \"x\", \"hypothesis\": \"y\", \"label\": \"maybe\"}\n");
        contains(fails(TaskData.builder().train(train).dev(dev).template(TEMPLATE).verbalizer(rte())),
                "unknown label 'maybe' in " + dev + ":3; the verbalizer knows: entailment, not_entailment");
        // Identity verbalizer: dev labels must have been seen in train.
        contains(fails(TaskData.builder().train(train).dev(dev).template(TEMPLATE)), "'maybe'",
                "entailment, not_entailment");
    }

    @Test
    void missingLabelFieldAndPartlyLabeledTest() throws IOException {
        Path train = write("train.jsonl", rows(2, "entailment"));
        contains(fails(TaskData.builder().train(train).labelField("gold").template(TEMPLATE).verbalizer(rte())),
                train + ":1", "label field 'gold'", "premise, hypothesis, label");
        Path test = write("test.jsonl", rows(1, "entailment") + rows(1, null));
        contains(fails(TaskData.builder().train(train).test(test).template(TEMPLATE).verbalizer(rte())),
                test + ":2", "label field 'label'");
    }

    @Test
    void missingTrainTemplateOrFile() throws IOException {
        contains(fails(TaskData.builder().template(TEMPLATE)), "train split");
        contains(fails(TaskData.builder().train(write("t.jsonl", rows(1, "a")))), "template");
        Path missing = dir.resolve("dev.jsonl");
        contains(fails(TaskData.builder().train(write("t2.jsonl", rows(1, "a"))).dev(missing).template(TEMPLATE)),
                missing + " does not exist");
        contains(assertThrows(PromptTuneException.class, () -> TaskData.builder().carveDev(1.5, 1)), "1.5");
    }

    @Test
    void carvedDevIsDeterministicAndDisjoint() throws IOException {
        Path train = write("train.jsonl", rows(40, "entailment"));
        TaskData a = TaskData.builder().train(train).template(TEMPLATE).carveDev(0.25, 7).build();
        TaskData b = TaskData.builder().train(train).template(TEMPLATE).carveDev(0.25, 7).build();
        TaskData c = TaskData.builder().train(train).template(TEMPLATE).carveDev(0.25, 8).build();
        assertEquals(30, a.train().size());
        assertEquals(10, a.dev().orElseThrow().size());
        assertEquals(a.fingerprints(), b.fingerprints());
        assertNotEquals(a.dev().orElseThrow().fingerprint(), c.dev().orElseThrow().fingerprint());
        Set<Integer> lines = new HashSet<>();
        List<Integer> devLines = new ArrayList<>();
        a.train().examples().forEach(e -> lines.add(e.line()));
        a.dev().orElseThrow().examples().forEach(e -> devLines.add(e.line()));
        devLines.forEach(l -> assertTrue(lines.add(l), "line " + l + " in both"));
        assertEquals(40, lines.size());
        assertEquals(devLines.stream().sorted().toList(), devLines, "file order kept");
        assertTrue(a.dev().orElseThrow().source().contains("seed 7"), a.dev().orElseThrow().source());
        // A given dev file wins over carving.
        TaskData d = TaskData.builder().train(train).dev(write("dev.jsonl", rows(3, "entailment")))
                .template(TEMPLATE).carveDev(0.25, 7).build();
        assertEquals(40, d.train().size());
        contains(fails(TaskData.builder().train(write("one.jsonl", rows(1, "x"))).template(TEMPLATE)
                .verbalizer(Map.of("x", "yes", "not_x", "no")).carveDev(0.5, 1)), "cannot carve", "1 example");
    }

    @Test
    void fingerprintIsContentOnly() throws IOException {
        Split json = Split.read("train",
                write("a.jsonl", "{\"x\": \"1\", \"y\": \"a,b\"}\n{\"y\": \"c\", \"x\": \"2\"}\n"));
        Split csv = Split.read("dev", write("b.csv", "x,y\n1,\"a,b\"\n2,c\n"));
        assertEquals(json.fingerprint(), csv.fingerprint(), "format, file, name and field order do not matter");
        Split changed = Split.read("train", write("c.csv", "x,y\n1,\"a,b\"\n2,d\n"));
        assertNotEquals(json.fingerprint(), changed.fingerprint());
        Split swapped = Split.read("train", write("d.csv", "x,y\n2,c\n1,\"a,b\"\n"));
        assertNotEquals(json.fingerprint(), swapped.fingerprint(), "order matters");
        Split ambiguous = Split.read("train", write("e.csv", "x,y\n1a,\",b\"\n2,c\n"));
        assertNotEquals(json.fingerprint(), ambiguous.fingerprint(), "field boundaries matter");
    }

    /** A template that reads the label would show every example its own answer. */
    @Test
    void aTemplateReadingTheLabelFieldIsRefused() throws IOException {
        Path train = write("train.jsonl", rows(4, "entailment"));
        contains(fails(TaskData.builder().train(train).template("premise: {premise} answer: {label}").verbalizer(rte())),
                "template 'premise: {premise} answer: {label}' reads {label}, the label field",
                "leave {label} out of the template");
        Path gold = write("gold.jsonl", "{\"text\": \"a\", \"gold\": \"x\"}\n{\"text\": \"b\", \"gold\": \"y\"}\n");
        contains(fails(TaskData.builder().train(gold).template("{text} {gold}").labelField("gold")), "reads {gold}");
    }

    /** Dev or test inputs that are also training inputs are named (a warning, not an error: fitting is a check). */
    @Test
    void splitsSharingInputsWithTrainAreNamed() throws IOException {
        Path train = write("train.jsonl", rows(6, "entailment"));
        Path fresh = write("fresh.jsonl", rows(3, "entailment").replace(": \"p", ": \"q"));
        TaskData clean = TaskData.builder().train(train).dev(fresh).template(TEMPLATE).verbalizer(rte()).build();
        assertEquals(List.of(), clean.overlapWarnings());

        String mixed = rows(6, "entailment").replace("\"p1\"", "\"q1\"").replace("\"p3\"", "\"q3\"");
        TaskData t = TaskData.builder().train(train).dev(train).test(write("test.jsonl", mixed)).template(TEMPLATE)
                .verbalizer(rte()).build();
        List<String> w = t.overlapWarnings();
        assertEquals(2, w.size(), w.toString());
        assertTrue(w.get(0).startsWith("all 6 dev examples have the same input as a training example"), w.get(0));
        assertTrue(w.get(1).startsWith("4 of 6 test examples (lines 1, 3, 5, … of "
                + dir.resolve("test.jsonl") + ") have"), w.get(1));
        assertTrue(w.get(1).endsWith("their test score measures fitting the training data, not new data"), w.get(1));
    }

    /** Examples with nothing in the template's fields are named per split (a warning: one such row is no error). */
    @Test
    void examplesWithEmptyInputFieldsAreNamed() throws IOException {
        Path train = write("train.jsonl", """
                {"text": "good", "label": "pos"}
                {"text": "", "label": "neg"}
                {"text": "bad", "label": "neg"}
                {"text": " \\t ", "label": "pos"}
                """);
        Path dev = write("dev.jsonl", "{\"text\": \"fine\", \"label\": \"pos\"}\n{\"text\": \"poor\", \"label\": \"neg\"}\n");
        TaskData t = TaskData.builder().train(train).dev(dev).template("review: {text}").build();
        assertEquals(List.of("2 of 4 train examples (lines 2, 4 of " + train + ") have nothing in their field 'text': the "
                + "model reads only the template's own words for them"), t.emptyInputWarnings());

        Path pairs = write("pairs.jsonl", """
                {"premise": "", "hypothesis": "it rains", "label": "a"}
                {"premise": "", "hypothesis": "", "label": "b"}
                """);
        TaskData p = TaskData.builder().train(pairs).template("{premise} / {hypothesis}").build();
        assertEquals(List.of("1 of 2 train examples (line 2 of " + pairs + ") have nothing in any of their fields "
                + "'premise', 'hypothesis': the model reads only the template's own words for them"), p.emptyInputWarnings(),
                "one empty field of two is no empty input");
    }

    /** One class would score every example right. */
    @Test
    void aSingleClassIsRefused() throws IOException {
        Path one = write("one.jsonl", "{\"text\": \"a\", \"label\": \"spam\"}\n{\"text\": \"b\", \"label\": \"spam\"}\n");
        contains(fails(TaskData.builder().train(one).template("{text}")),
                "label field 'label' has one value ('spam') in all 2 examples", "at least two classes");
        contains(fails(TaskData.builder().train(one).template("{text}").verbalizer(Map.of("spam", "spam"))),
                "labels name one class ('spam')");
    }

    /**
     * Labels naming two classes do not make a task of training data that holds one: its prompt would learn to give
     * that answer whatever the input, and its dev accuracy would be the class's share.
     */
    @Test
    void trainingDataHoldingOneOfTheNamedClassesIsRefused() throws IOException {
        Path one = write("one.jsonl", "{\"text\": \"a\", \"label\": \"spam\"}\n{\"text\": \"b\", \"label\": \"spam\"}\n");
        Map<String, String> two = new LinkedHashMap<>();
        two.put("spam", "spam");
        two.put("ham", "normal");
        contains(fails(TaskData.builder().train(one).template("{text}").verbalizer(two)),
                "the training data " + one + " holds one class only: all 2 examples are 'spam'",
                "the labels name 2 (spam, ham)", "allowed: training data with examples of at least two classes");
        // Carving dev out of train is checked on what is left to train on.
        Path mostlySpam = write("mostly.jsonl", "{\"text\": \"a\", \"label\": \"spam\"}\n"
                + "{\"text\": \"b\", \"label\": \"spam\"}\n{\"text\": \"c\", \"label\": \"ham\"}\n");
        TaskData.Builder carved = TaskData.builder().train(mostlySpam).template("{text}").verbalizer(two);
        int refused = 0;
        for (long seed = 0; seed < 12; seed++) {
            try {
                TaskData d = carved.carveDev(0.34, seed).build();
                assertEquals(2, d.train().size());
                assertTrue(d.train().examples().stream().anyMatch(e -> e.get("label").equals("ham")),
                        "seed " + seed + ": a train split without 'ham' was accepted");
            } catch (PromptTuneException e) {
                contains(e, "holds one class only: all 2 examples are 'spam'");
                refused++;
            }
        }
        assertTrue(refused > 0 && refused < 12, "the carved-off example is 'ham' for some seeds: " + refused);
    }

    /** A named class without a training example is allowed (scored on purpose) and named once as a warning. */
    @Test
    void aNamedClassWithoutTrainingExamplesIsNamed() throws IOException {
        Path train = write("train.jsonl", rows(4, "entailment"));
        Map<String, String> three = new LinkedHashMap<>(rte());
        three.put("neutral", "maybe");
        TaskData t = TaskData.builder().train(train).template(TEMPLATE).verbalizer(three).build();
        assertEquals(List.of("class 'neutral' (answer 'maybe') has no example in the training data " + train
                + ": the prompt is never trained to give that answer"), t.missingClassWarnings());
        assertEquals(List.of(), TaskData.builder().train(train).template(TEMPLATE).verbalizer(rte()).build()
                .missingClassWarnings());
    }

    /** A dev split of one class is allowed (the run goes on) and named once as a warning: the best step is chosen on it. */
    @Test
    void aDevSplitOfOneClassIsNamed() throws IOException {
        Path train = write("train.jsonl", rows(4, "entailment"));
        Path dev = write("dev.jsonl", rows(3, "entailment").replace("not_entailment", "entailment"));
        TaskData t = TaskData.builder().train(train).dev(dev).template(TEMPLATE).verbalizer(rte()).build();
        assertEquals(1, t.missingClassWarnings().size(), String.valueOf(t.missingClassWarnings()));
        assertTrue(t.missingClassWarnings().get(0).startsWith("the dev data " + dev + " holds one class only (all 3 "
                + "examples are 'entailment')"), t.missingClassWarnings().get(0));
        assertEquals(List.of(), TaskData.builder().train(train).dev(train).template(TEMPLATE).verbalizer(rte()).build()
                .missingClassWarnings());
    }

    /** A template whose fields are empty (or equal) in every training example gives every example the same input. */
    @Test
    void trainingInputsThatAllReadTheSameAreRefused() throws IOException {
        Path blank = write("blank.jsonl", "{\"text\": \"a\", \"note\": \"\", \"label\": \"x\"}\n"
                + "{\"text\": \"b\", \"note\": \"\", \"label\": \"y\"}\n");
        contains(fails(TaskData.builder().train(blank).template("note: {note}")),
                "template 'note: {note}' reads the same input, 'note: ', for all 2 training examples", "[note]");
        assertEquals(2, TaskData.builder().train(blank).template("{text} {note}").build().train().size());
    }
}
