package dev.prompttune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;

/**
 * A mistyped command line is one line naming the mistake and where the help is (it printed the whole usage text);
 * so is an empty path argument, naming what the argument is for.
 */
class UsageErrorTest {

    @Test
    void unknownOptionsMissingArgumentsAndUnknownCommandsAreOneLine() throws Exception {
        CliTest.home();
        record Case(String[] args, String line) {}
        for (Case c : List.of(
                new Case(new String[] {"run", "--bogus", "x.groovy"},
                        "prompttune run: Unknown option: '--bogus' (see 'prompttune run --help')"),
                new Case(new String[] {"run"},
                        "prompttune run: Missing required parameter: 'SCRIPT' (see 'prompttune run --help')"),
                new Case(new String[] {"evaluate", "x"},
                        "prompttune: unknown command 'evaluate'; allowed: run, resume, eval, import-peft, export-peft,"
                                + " verify-t5, verify-peft, help, and through bin/prompttune bench and kernel install"
                                + " (see 'prompttune --help')"),
                new Case(new String[] {"--bogus"}, "prompttune: Unknown option: '--bogus' (see 'prompttune --help')"),
                // An empty path is the current folder to Java: export-peft --out '' wrote the adapter there.
                new Case(new String[] {"export-peft", "runs/x", "--out", ""},
                        "prompttune export-peft: Invalid value for option '--out': an empty path; allowed: the adapter"
                                + " directory to write (see 'prompttune export-peft --help')"),
                new Case(new String[] {"eval", ""},
                        "prompttune eval: Invalid value for positional parameter at index 0 (RECORD_DIR): an empty path;"
                                + " allowed: a run record directory (see 'prompttune eval --help')"),
                new Case(new String[] {"import-peft", "a", "--out", ""},
                        "prompttune import-peft: Invalid value for option '--out': an empty path; allowed: the prompt file"
                                + " to write (DIR/NAME; .safetensors added) (see 'prompttune import-peft --help')"),
                new Case(new String[] {"run", " "},
                        "prompttune run: Invalid value for positional parameter at index 0 (SCRIPT): a blank path (' ');"
                                + " allowed: the script (.groovy) (see 'prompttune run --help')"))) {
            CliTest.Result r = CliTest.cli(c.args());
            assertEquals(2, r.status(), String.join(" ", c.args()));
            assertEquals(List.of(c.line()), CliTest.withoutEngineLog(r.err()), String.join(" ", c.args()));
            assertEquals("", r.out(), String.join(" ", c.args()));
        }
    }

    /** An empty path's line says what the argument is for from its description: every path argument must have one. */
    @Test
    void everyPathArgumentSaysWhatItIsFor() {
        CommandLine cli = new CommandLine(new PromptTuneCli());
        for (CommandLine command : cli.getSubcommands().values()) {
            for (ArgSpec arg : command.getCommandSpec().args()) {
                if (arg.type() == Path.class) {
                    assertTrue(arg.description().length > 0 && !arg.description()[0].isBlank(),
                            command.getCommandName() + " " + arg.paramLabel() + " has no description");
                }
            }
        }
    }
}
