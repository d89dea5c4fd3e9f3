package dev.prompttune.core.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.prompttune.core.PromptTuneException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The name and save settings: what would make a bad record folder is refused when set. */
class PromptTuneSpecTest {

    private static final String ALLOWED = "; allowed: up to 200 characters, without / or \\, not starting with a dot"
            + " (it names the run's record folder)";

    private static String nameFails(String name) {
        return assertThrows(PromptTuneException.class, () -> PromptTuneSpec.builder().name(name)).getMessage();
    }

    @Test
    void namesThatWouldLeaveTheSaveFolderOrBeTooLongAreRefused() {
        assertEquals("name '../../x' contains a path separator" + ALLOWED, nameFails("../../x"));
        assertEquals("name 'a\\b' contains a path separator" + ALLOWED, nameFails("a\\b"));
        assertEquals("name '.hidden' starts with a dot" + ALLOWED, nameFails(".hidden"));
        assertEquals("name is empty" + ALLOWED, nameFails(" "));
        assertEquals("name is 201 characters long ('xxxxxxxxxxxxxxxxxxxx...')" + ALLOWED, nameFails("x".repeat(201)));
        assertEquals("name 'a?b' contains a control character (U+0000)" + ALLOWED + ", printable characters only",
                nameFails("a\u0000b"));
        assertEquals("name 'line?two' contains a control character (U+000A)" + ALLOWED + ", printable characters only",
                nameFails("line\ntwo"));
        PromptTuneSpec.builder().name("x".repeat(200)).name("my run.v2").name("spam: é *").name(null);
    }

    /** A null label value or target text is named (a null key was a NullPointerException when the run started). */
    @Test
    void labelsWithANullKeyOrValueAreRefused() {
        java.util.Map<String, String> nullKey = new java.util.LinkedHashMap<>();
        nullKey.put("spam", "spam");
        nullKey.put(null, "normal");
        assertEquals("labels {spam=spam, null=normal} maps a null label value to 'normal'; allowed: label values of the "
                + "data, each mapped to its target text", assertThrows(PromptTuneException.class,
                        () -> PromptTuneSpec.builder().labels(nullKey)).getMessage());
        java.util.Map<String, String> nullValue = new java.util.LinkedHashMap<>();
        nullValue.put("spam", null);
        assertEquals("labels {spam=null} maps label 'spam' to null; allowed: label values of the data, each mapped to "
                + "its target text", assertThrows(PromptTuneException.class,
                        () -> PromptTuneSpec.builder().labels(nullValue)).getMessage());
    }

    /**
     * Sizes whose arrays could not be made are refused with their bound (each was a stack trace: a negative array
     * size from an int overflow, or an OutOfMemoryError for the VM's largest array).
     */
    @Test
    void sizesBeyondWhatCanBeAllocatedAreRefused() {
        assertEquals("maxInputLength is 100000; allowed: 2 <= maxInputLength <= 4096", assertThrows(PromptTuneException.class,
                () -> PromptTuneSpec.builder().maxInputLength(100_000)).getMessage());
        assertEquals("maxTargetLength is 2147483647; allowed: 1 <= maxTargetLength <= 4096", assertThrows(PromptTuneException.class,
                () -> PromptTuneSpec.builder().maxTargetLength(Integer.MAX_VALUE)).getMessage());
        assertEquals("reparamBottleneck is 2147483647; allowed: 1 <= reparamBottleneck <= 65536", assertThrows(
                PromptTuneException.class, () -> PromptTuneSpec.builder().reparamBottleneck(Integer.MAX_VALUE)).getMessage());
        assertEquals("batch 32 × gradientAccumulation 2147483647 is 68,719,476,704 examples a step; allowed: at most "
                + "1,048,576", assertThrows(PromptTuneException.class, () -> PromptTuneSpec.builder().data("spam")
                        .gradientAccumulation(Integer.MAX_VALUE).build()).getMessage());
        PromptTuneSpec.builder().data("spam").maxInputLength(4096).maxTargetLength(4096).reparamBottleneck(65_536)
                .batch(1024).gradientAccumulation(1024).build();
    }

    @Test
    void saveMustBeAFolder(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("base.groovy"), "x");
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> PromptTuneSpec.builder().save(file));
        assertEquals("save " + file + " is a file, not a folder; allowed: a folder for run records (new or existing)",
                e.getMessage());
        PromptTuneSpec.builder().save(dir).save(dir.resolve("new"));
    }

    /** A baseline named twice would be trained or scored twice (model tuning is a whole run) for one table row. */
    @Test
    void aBaselineNamedTwiceIsRefused() {
        PromptTuneException e = assertThrows(PromptTuneException.class,
                () -> PromptTuneSpec.builder().baselines("design", "majority", "design"));
        assertEquals("baseline 'design' is named twice in baselines design, majority, design; allowed: each of "
                + "design, majority, modelTuning at most once", e.getMessage());
        assertEquals(List.of("majority", "design"), PromptTuneSpec.builder().data("spam").baselines("majority", "design").build()
                .baselines());
    }

    /** From Java, a null setting is named with what is allowed; it was a NullPointerException without a word. */
    @Test
    void nullSettingsFromJavaAreNamed() {
        assertEquals("init is null; allowed: random, vocab, labels, text('…'), file('…')", assertThrows(
                PromptTuneException.class, () -> PromptTuneSpec.builder().init((String) null)).getMessage());
        assertEquals("baselines is null; allowed: none or some of design, majority, modelTuning (baselines() for none)",
                assertThrows(PromptTuneException.class, () -> PromptTuneSpec.builder().baselines((String[]) null))
                        .getMessage());
        assertEquals("baseline is null; allowed: design, majority, modelTuning", assertThrows(PromptTuneException.class,
                () -> PromptTuneSpec.builder().baselines("design", null)).getMessage());
        assertEquals("device is null; allowed: auto, cpu, gpu", assertThrows(PromptTuneException.class,
                () -> PromptTuneSpec.builder().device(null)).getMessage());
    }
}
