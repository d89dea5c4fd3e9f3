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

    /** Values Spark would refuse only when its context starts (after earlier runs trained), refused where written. */
    @Test
    void sparkSettingValuesAreReadAsSparkReadsThem() {
        for (String good : new String[] {"16g", "16G", " 512m ", "512", "1024kb", "2t"}) {
            ClusterSpec.checkConf("spark.executor.memory", good);
        }
        for (String bad : new String[] {"lots", "1.5g", "10 g", "-1", "1e3", "16x"}) {
            assertEquals("cluster conf 'spark.driver.memory' is '" + bad + "', which Spark cannot read as a size; allowed: "
                    + "a whole number with an optional unit b, k, m, g, t or p (e.g. 16g, 512m; no fraction, no space)",
                    message(() -> ClusterSpec.checkConf("spark.driver.memory", bad)));
        }
        ClusterSpec.checkConf("spark.executor.cores", " 4 ");
        assertEquals("cluster conf 'spark.executor.cores' is 'four', which Spark cannot read as a whole number; allowed: "
                + "a whole number (e.g. 4)", message(() -> ClusterSpec.checkConf("spark.executor.cores", "four")));
        ClusterSpec.checkConf("spark.memory.fraction", "0.6");
        assertTrue(message(() -> ClusterSpec.checkConf("spark.memory.fraction", "60%")).contains("as a number"));
        ClusterSpec.checkConf("spark.ui.enabled", "TRUE");
        assertTrue(message(() -> ClusterSpec.checkConf("spark.ui.enabled", "yes")).endsWith("allowed: true or false"));
        ClusterSpec.checkConf("spark.network.timeout", "2min");
        assertTrue(message(() -> ClusterSpec.checkConf("spark.network.timeout", "1.5s")).contains("as a duration"));
        ClusterSpec.checkConf("spark.some.setting.prompttune.does.not.know", "anything"); // left to Spark
        assertTrue(message(() -> ClusterSpec.of("local[2]", null, Map.of("spark.executor.memory", "lots")))
                .startsWith("cluster conf 'spark.executor.memory' is 'lots'"), "the spec checks its conf too");
    }

    /** yarn and k8s:// without Spark's modules for them (this build): refused, and not offered as allowed. */
    @Test
    void mastersWithoutTheirSparkModuleAreRefused() {
        assertEquals("local, local[N] (N >= 1), local[*], local[N,F] (F >= 1), spark://host:port", ClusterSpec.allowedMasters());
        assertEquals("cluster master 'yarn' needs Spark's YARN module (spark-yarn_2.13), which this build does not include; "
                + "allowed: " + ClusterSpec.allowedMasters(), message(() -> ClusterSpec.of("yarn", 2, Map.of())));
        assertTrue(message(() -> ClusterSpec.of("k8s://https://host:443", 2, Map.of())).startsWith(
                "cluster master 'k8s://https://host:443' needs Spark's Kubernetes module"));
        String zero = message(() -> ClusterSpec.of("local[0]"));
        assertTrue(zero.contains("local[N] (N >= 1)"), zero);
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
