package dev.prompttune.core.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.PromptTuneException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate reads a Linux sysfs cache listing; these fake listings stand for the machines it must tell apart. */
class ConvLinearGateTest {

    @TempDir
    Path dir;

    @Test
    void listedOuterCacheOpensTheGate() throws IOException {
        cache("index0", 1, "48K");
        cache("index2", 2, "1024K");
        assertTrue(ConvLinearGate.decide("auto", dir));
    }

    @Test
    void missingEmptyOrZeroSizedListingsKeepItShut() throws IOException {
        assertFalse(ConvLinearGate.decide("auto", dir.resolve("absent")));
        assertFalse(ConvLinearGate.decide("auto", dir), "empty cache directory (the VM measured on 2026-12-03)");
        cache("index0", 1, "32K");
        assertFalse(ConvLinearGate.decide("auto", dir), "only a level-1 cache");
        cache("index2", 2, "0K");
        assertFalse(ConvLinearGate.decide("auto", dir), "an L2 of size zero");
    }

    @Test
    void explicitSettingsWinAndBadOnesAreNamed() {
        assertTrue(ConvLinearGate.decide("on", dir.resolve("absent")));
        assertFalse(ConvLinearGate.decide(" OFF ", dir));
        PromptTuneException e = assertThrows(PromptTuneException.class,
                () -> ConvLinearGate.decide("fast", dir));
        assertTrue(e.getMessage().contains("prompttune.convLinear=fast") && e.getMessage().contains("auto, on, off"),
                e.getMessage());
    }

    private void cache(String index, int level, String size) throws IOException {
        Path d = Files.createDirectories(dir.resolve(index));
        Files.writeString(d.resolve("level"), level + "\n");
        Files.writeString(d.resolve("size"), size + "\n");
    }
}
