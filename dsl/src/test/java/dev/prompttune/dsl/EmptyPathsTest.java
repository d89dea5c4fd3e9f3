package dev.prompttune.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An empty path in a script is refused naming what it was for. {@code Path.of("")} is the current folder, so
 * {@code exportPeft(run, '')} wrote the adapter into whatever folder the script ran in, {@code save ''} put the run
 * records there, {@code init file('')} read it as an adapter, and the rest said {@code " is not a run record"} or
 * {@code "data file  is a directory"}, naming nothing.
 */
@ExtendWith(HomeExtension.class)
class EmptyPathsTest {

    private static final String RUN = "def r = promptTune { model 'tiny'; data 'markers' }\n";

    static Stream<Arguments> scripts() {
        return Stream.of(
                bad("load('')", "run record is an empty path; allowed: a run record folder (runs/NAME-TIMESTAMP)"),
                bad("evaluate ''", "run record is an empty path; allowed: a run record folder (runs/NAME-TIMESTAMP)"),
                bad("resume('  ')", "run record is a blank path ('  '); allowed: a run record folder (runs/NAME-TIMESTAMP)"),
                bad("loadPrompt('')", "prompt file is an empty path; allowed: a prompt file (DIR/NAME.safetensors, or DIR/NAME) "
                        + "or a run record folder"),
                bad("importPeft('')", "PEFT adapter is an empty path; allowed: a PEFT adapter folder (adapter_config.json and "
                        + "adapter_model.safetensors)"),
                bad(RUN + "exportPeft(r, '')", "adapter folder is an empty path; allowed: a folder for the adapter (new, or one "
                        + "whose adapter files may be replaced) that this user can write"),
                bad(RUN + "evaluate(r, '')", "data file is an empty path; allowed: a labelled .jsonl, .csv or .tsv file"),
                bad(RUN + "savePrompt(r, '')", "prompt file is an empty path; allowed: DIR/NAME (writes DIR/NAME.safetensors "
                        + "and DIR/NAME.json)"),
                bad("promptTune { model 'tiny'; data train: '' }", "data file is an empty path; allowed: a file"),
                bad("promptTune { model 'tiny'; data 'markers'; save '' }",
                        "save is an empty path; allowed: a folder for run records (new or existing), e.g. runs"),
                bad("promptTune { model 'tiny'; data 'markers'; init file('') }",
                        "init file is an empty path; allowed: a prompt file (NAME.safetensors) or a PEFT adapter folder"));
    }

    private static Arguments bad(String script, String message) {
        return Arguments.of(script, message);
    }

    @ParameterizedTest
    @MethodSource("scripts")
    void anEmptyPathIsRefusedNamingWhatItIsFor(String script, String message) {
        ScriptError e = assertThrows(ScriptError.class, () -> new ScriptRunner(new Recording()).run(script, "p.groovy"));
        int line = (int) script.lines().count();
        assertEquals("p.groovy:" + line + ": " + message, e.getMessage());
    }
}
