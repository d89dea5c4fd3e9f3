package dev.prompttune.dsl;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

/** The error lines ({@code bad.groovy:LINE: message}) a script gets before it runs. */
final class ScriptErrors {

    private ScriptErrors() {}

    static List<String> of(Experiments experiments, String script) {
        ScriptError e = assertThrows(ScriptError.class, () -> new ScriptRunner(experiments).compile(script, "bad.groovy"));
        return e.getMessage().lines().toList();
    }
}
