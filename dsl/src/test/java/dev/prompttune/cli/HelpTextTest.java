package dev.prompttune.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The help text reads as prose: picocli wraps each description entry as one paragraph, so an entry that stops in
 * the middle of a sentence (as when a paragraph is split over several entries to keep source lines short) prints as
 * a ragged line ending in "on the" with the sentence going on below; and the first entry is the command's summary in
 * {@code prompttune --help}'s command list, where a fragment such as "Resumes … from its checkpoint,
 * checkpoint.safetensors:" says nothing.
 */
class HelpTextTest {

    @Test
    void everyDescriptionEntryIsWholeSentencesAndTheSummaryIsShort() {
        List<String> problems = new ArrayList<>();
        CommandLine root = PromptTuneCli.commandLine();
        List<CommandLine> commands = new ArrayList<>(List.of(root));
        commands.addAll(root.getSubcommands().values());
        for (CommandLine c : commands) {
            String name = c.getCommandSpec().qualifiedName();
            String[] description = c.getCommandSpec().usageMessage().description();
            String[] footer = c.getCommandSpec().usageMessage().footer();
            List<String> entries = new ArrayList<>(List.of(description));
            entries.addAll(List.of(footer));
            for (String entry : entries) {
                String text = entry.replaceAll("(%n)+$", "").strip(); // picocli's own entries end in %n
                if (!text.isEmpty() && !text.matches("(?s).*[.)!?]$")) {
                    problems.add(name + ": entry ends mid-sentence: '" + text + "'");
                }
            }
            if (description.length > 0 && description[0].length() > 110) {
                problems.add(name + ": summary (first description entry) is " + description[0].length()
                        + " characters; the command list shows it: keep it to one short sentence");
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }
}
