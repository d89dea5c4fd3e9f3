package dev.prompttune.core.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.PromptTuneException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code cluster} setting: master URLs, workers and Spark settings checked where they are written. */
class ClusterSpecTest {

    @Test
    void localMastersImplyTheirWorkers() {
        assertEquals(2, ClusterSpec.of("local[2]").workers());
        assertEquals(1, ClusterSpec.of("local").workers());
        assertEquals(3, ClusterSpec.of("local[3,4]").workers());
        assertEquals(Runtime.getRuntime().availableProcessors(), ClusterSpec.of("local[*]").workers());
        assertEquals(5, ClusterSpec.of("local[2]", 5, Map.of()).workers(), "workers given win over local[N]");
        assertTrue(ClusterSpec.of("local[2]").local());
        ClusterSpec real = ClusterSpec.of("spark://head:7077", 8, Map.of("spark.executor.memory", "16g"));
        assertEquals(8, real.workers());
        assertEquals(Map.of("spark.executor.memory", "16g"), real.conf());
        assertEquals(false, real.local());
    }

    @Test
    void badSettingsAreOneLineNamingSettingValueAndAllowed() {
        String master = message(() -> ClusterSpec.of("local[two]"));
        assertTrue(master.startsWith("cluster master 'local[two]' is not a Spark master URL; allowed: local, local[N]"), master);
        String http = message(() -> ClusterSpec.of("http://head:7077"));
        assertTrue(http.contains("'http://head:7077'") && http.contains("spark://host:port"), http);
        String workers = message(() -> ClusterSpec.of("spark://head:7077"));
        assertTrue(workers.startsWith("cluster workers is missing for master 'spark://head:7077'; allowed: workers N"), workers);
        String zero = message(() -> ClusterSpec.of("local[2]", 0, Map.of()));
        assertEquals("cluster workers is 0; allowed: workers >= 1 (tasks per step)", zero);
        String conf = message(() -> ClusterSpec.of("local[2]", null, Map.of("executor.memory", "2g")));
        assertEquals("cluster conf key 'executor.memory' is not a Spark setting; allowed: keys starting with 'spark.'", conf);
        for (String m : new String[] {master, http, workers, zero, conf}) {
            assertTrue(!m.contains("\n"), m);
        }
    }

    @Test
    void theBuilderTakesTheMasterAlone() {
        PromptTuneSpec spec = PromptTuneSpec.builder().data("spam").cluster("local[2]").build();
        assertEquals(ClusterSpec.of("local[2]"), spec.cluster());
        assertEquals("{\"master\":\"local[2]\",\"workers\":2,\"conf\":{}}", spec.toJson().get("cluster").toString());
        assertEquals(null, PromptTuneSpec.builder().data("spam").build().cluster(), "no cluster: single process");
        assertThrows(PromptTuneException.class, () -> PromptTuneSpec.builder().cluster("mesos://x:5050"));
    }

    private static String message(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(PromptTuneException.class, e).getMessage();
    }
}
