package dev.prompttune.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Java 17 flags are defined once (java17-options.txt); this module's test JVM (pom argLine) has every one. */
class JavaOptionsTest {

    @Test
    void theTestJvmHasEveryFlag() {
        List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
        List<String> flags = JavaOptions.flags();
        assertTrue(flags.contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"), flags.toString());
        for (String flag : flags) {
            assertTrue(args.contains(flag), "spark/pom.xml's surefire argLine lacks " + flag);
        }
        JavaOptions.check("local[2]"); // passes with them
    }
}
