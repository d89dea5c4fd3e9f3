package dev.prompttune.dsl;

import dev.prompttune.core.interpret.NearestTokens;
import java.util.List;
import java.util.Locale;

/**
 * What a tuned prompt "says" ({@code nearest(run)}): per position, the vocabulary tokens nearest by cosine
 * similarity; for a label-initialised prompt, whether each label position still points at its label.
 */
public record Interpretation(String run, NearestTokens tokens, List<NearestTokens.LabelMark> labels) {

    public String table() {
        StringBuilder b = new StringBuilder("nearest tokens of " + run + " (cosine)\n");
        for (NearestTokens.Position p : tokens.positions()) {
            b.append(String.format(Locale.ROOT, "%4d ", p.index()));
            for (int j = 0; j < p.ids().length; j++) {
                b.append(String.format(Locale.ROOT, " %s %.2f", p.tokens()[j], p.scores()[j]));
            }
            b.append('\n');
        }
        for (NearestTokens.LabelMark m : labels) {
            b.append(String.format(Locale.ROOT, "label '%s' at position %d: %s%n", m.label(), m.position(),
                    m.nearestIsLabel() ? "still nearest" : m.rank() >= 0 ? "rank " + (m.rank() + 1) : "no longer among the nearest"));
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return table();
    }
}
