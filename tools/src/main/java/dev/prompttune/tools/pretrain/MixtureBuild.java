package dev.prompttune.tools.pretrain;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.prompttune.tools.pretrain.mix.DocumentSources;
import dev.prompttune.tools.pretrain.mix.LabelWords;
import dev.prompttune.tools.pretrain.mix.MixtureHoldOut;
import dev.prompttune.tools.pretrain.mix.Passage;
import dev.prompttune.tools.pretrain.mix.Passages;
import dev.prompttune.tools.pretrain.mix.PromptabilityMixture;
import dev.prompttune.core.text.T5Tokenizer;
import dev.prompttune.core.train.TokenizedTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The pretrainer's side of the {@link PromptabilityMixture}: building it under its hold-out rules, and its examples. */
final class MixtureBuild {

    private MixtureBuild() {}

    /** Passages of the corpus without dev/test text, the mixture over them, and the hold-out check (throws if broken). */
    static PromptabilityMixture of(PretrainOptions options, T5Tokenizer tokenizer) {
        long t0 = System.nanoTime();
        List<Passage> all = Passages.read(options.corpus());
        MixtureHoldOut rules = MixtureHoldOut.of(options.tasks());
        List<Passage> kept = rules.filter(all);
        LabelWords pool = LabelWords.of(tokenizer, rules.labelWords());
        DocumentSources sources = options.mixRecipe().sourceTask() ? DocumentSources.beside(options.corpus())
                : DocumentSources.NONE;
        PromptabilityMixture mixture = new PromptabilityMixture(kept, sources, pool, tokenizer, options.mixInput(),
                options.mixRecipe(), options.seed() * 7_919L + 17);
        int checked = rules.require(mixture.passages(), mixture.answerWords());
        System.out.printf(Locale.ROOT, "mixture: %,d passages (%,d dropped for sharing a %d-word run with dev/test text), "
                        + "%,d train / %,d held out; %d answer words (evaluation label words %s left out); hold-out check "
                        + "passed on %,d passages (%.1f s)%n",
                kept.size(), all.size() - kept.size(), MixtureHoldOut.RUN, mixture.trainPassages(), mixture.heldOutPassages(),
                pool.all().size(), rules.labelWords(), checked, (System.nanoTime() - t0) / 1e9);
        mixture.tasks().forEach(t -> System.out.printf(Locale.ROOT, "  %-16s %4.1f%%  %s %s%n", t.name(), 100 * t.weight(),
                t.labels().isEmpty() ? "" : t.labels(), t.what()));
        return mixture;
    }

    static TokenizedTask task(String name, List<Example> examples) {
        long[][] in = new long[examples.size()][];
        long[][] out = new long[examples.size()][];
        for (int i = 0; i < examples.size(); i++) {
            in[i] = examples.get(i).input();
            out[i] = examples.get(i).target();
        }
        return new TokenizedTask(name, in, out, null, null);
    }

    static int meanLength(long[][] rows) {
        long sum = 0;
        for (long[] r : rows) {
            sum += r.length;
        }
        return (int) Math.round((double) sum / Math.max(1, rows.length));
    }

    /**
     * The mixture checkpoint was trained without dropout; its config says so, so that prompt tuning, which takes the
     * model's dropout rate by default, tunes at the rate the model was pretrained with.
     */
    static void setDropoutRate(Path config, float rate) {
        try {
            JsonObject o = JsonParser.parseString(Files.readString(config)).getAsJsonObject();
            o.addProperty("dropout_rate", rate);
            Files.writeString(config, new GsonBuilder().setPrettyPrinting().create().toJson(o) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
    }
}
