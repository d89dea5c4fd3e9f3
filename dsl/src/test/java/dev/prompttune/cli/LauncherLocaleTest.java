package dev.prompttune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM a launcher starts gets a UTF-8 character type whatever the caller's locale: under the C locale (a Docker
 * image without LANG) Java 17 could not open a script named {@code café.groovy} ("Malformed input or input contains
 * unmappable characters", measured with {@code LC_ALL=C bin/prompttune run …}) and printed non-ASCII text as '?'.
 * The stand-in java records the locale it was started with: {@code charmap|LC_ALL|LC_CTYPE|LANG}.
 */
class LauncherLocaleTest {

    @TempDir
    Path tmp;
    private LauncherCopy launcher;
    private Path seen;

    @BeforeEach
    void copy() throws Exception {
        assumeTrue(new ProcessBuilder("sh", "-c", "locale -a | grep -qix 'c\\.utf-\\{0,1\\}8'").start().waitFor() == 0,
                "a C.UTF-8 locale");
        launcher = new LauncherCopy(tmp).built();
        seen = tmp.resolve("locale.txt");
        launcher.stub("java", "echo \"$(locale charmap)|${LC_ALL-unset}|${LC_CTYPE-unset}|${LANG-unset}\" > '" + seen + "'");
    }

    private String localeOfTheJvm(String... env) throws Exception {
        Map<String, String> vars = new HashMap<>();
        for (int i = 0; i < env.length; i += 2) {
            vars.put(env[i], env[i + 1]);
        }
        launcher.run(vars, "--help");
        return Files.readString(seen).strip();
    }

    @Test
    void theCLocaleGetsAUtf8CharacterType() throws Exception {
        assertEquals("UTF-8|unset|C.UTF-8|C", localeOfTheJvm("LC_ALL", "C", "LANG", "", "LC_CTYPE", ""),
                "LC_ALL's value moves to LANG, so only the character type changes");
        assertEquals("UTF-8||C.UTF-8|POSIX", localeOfTheJvm("LANG", "POSIX", "LC_ALL", "", "LC_CTYPE", ""));
    }

    @Test
    void aUtf8LocaleIsLeftAsItIs() throws Exception {
        assertEquals("UTF-8|C.UTF-8||", localeOfTheJvm("LC_ALL", "C.UTF-8", "LANG", "", "LC_CTYPE", ""));
        assertEquals("UTF-8||C.UTF-8|C", localeOfTheJvm("LC_ALL", "", "LANG", "C", "LC_CTYPE", "C.UTF-8"));
    }
}
