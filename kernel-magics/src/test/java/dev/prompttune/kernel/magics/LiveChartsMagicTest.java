package dev.prompttune.kernel.magics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LiveChartsMagicTest {

    @AfterEach
    void chartsBackOn() {
        LiveProgress.showCharts(true);
    }

    @Test
    void offAndOnSwitchTheLiveChartsOfLaterRuns() {
        assertTrue(LiveProgress.showsCharts(), "charts are on by default");
        assertEquals("live charts off: training runs show their progress line only", LiveChartsMagic.run(List.of("off")));
        assertFalse(LiveProgress.showsCharts());
        LiveChartsMagic.run(List.of("on"));
        assertTrue(LiveProgress.showsCharts());
    }

    @Test
    void aSettingOtherThanOnOrOffIsRefusedByName() {
        MagicError e = assertThrows(MagicError.class, () -> LiveChartsMagic.run(List.of("no")));
        assertEquals("%liveCharts: setting is 'no'; allowed: on, off", e.getMessage());
        assertTrue(LiveProgress.showsCharts(), "unchanged after a refused setting");
        assertThrows(RuntimeException.class, () -> LiveChartsMagic.run(List.of()), "the setting is required");
    }
}
