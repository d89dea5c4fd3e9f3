package dev.prompttune.tools.corpus;

import com.google.gson.JsonObject;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.tools.corpus.BrownCorpus.Doc;
import dev.prompttune.tools.corpus.Fortunes.Fortune;
import dev.prompttune.tools.corpus.MailText.Mail;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Converts the downloaded source packages (Brown corpus, SpamAssassin public corpus, fortune cookies) into what the
 * repository carries under {@code data/}: the pretraining text {@code corpus/pretrain.txt.gz} and the
 * classification tasks {@code tasks/<task>/{train,dev,test}.jsonl + task.json}, plus {@code provenance.json} and
 * {@code PROVENANCE.md}. Deterministic: inputs are read in sorted order and every random choice uses a fixed seed,
 * so two runs on the same packages write identical files. Run by {@code data/build-corpus.sh}.
 *
 * <pre>
 * java -cp ... dev.prompttune.tools.corpus.CorpusBuilder --brown DIR --spam DIR --fortunes DIR --out DATA_DIR
 *     [--sources sources.tsv] [--seed N]
 * </pre>
 */
public final class CorpusBuilder {

    public static final long DEFAULT_SEED = 20210418L; // the prompt tuning paper's arXiv date

    // spam
    static final int SPAM_BODY_WORDS = 60;
    static final int SPAM_SUBJECT_WORDS = 20;
    static final int SPAM_TRAIN_PER_CLASS = 1000;
    static final int SPAM_DEV_PER_CLASS = 125;
    static final int SPAM_TEST_PER_CLASS = 200;
    // brown-genre
    static final int PASSAGE_MIN_WORDS = 60;
    static final int PASSAGE_MAX_WORDS = 100;
    static final int GENRE_TRAIN_PER_CLASS = 400;
    static final int GENRE_DEV_PER_CLASS = 50;
    static final int GENRE_TEST_PER_CLASS = 80;
    // fortune-topic
    static final int FORTUNE_MIN_WORDS = 4;
    static final int FORTUNE_MAX_WORDS = 100;
    static final int FORTUNE_TRAIN_PER_CLASS = 400;
    static final int FORTUNE_DEV_PER_CLASS = 50;
    static final int FORTUNE_TEST_PER_CLASS = 80;
    /** Fortune files left out of the pretraining text: pictures, and jokes about ethnic groups. */
    static final Set<String> FORTUNES_NOT_PRETRAINED = Set.of("ascii-art", "ethnic");
    /** A mail paragraph found in this many distinct messages or more is boilerplate (list footers, disclaimers). */
    static final int BOILERPLATE_MESSAGES = 5;
    /** A message contributes whole paragraphs to the pretraining text until it has this many words. */
    static final int MAIL_PRETRAIN_WORDS = 300;
    /** Leakage check: a dev/test example's run of this many words must not occur in the pretraining text. */
    static final int LEAK_WINDOW = 12;

    /** Brown categories per coarse genre (label → cats.txt categories), and the target word of each. */
    static final Map<String, List<String>> GENRES = new LinkedHashMap<>();
    static final Map<String, String> GENRE_WORDS = new LinkedHashMap<>();
    static final Map<String, String> FORTUNE_WORDS = new LinkedHashMap<>();
    static final Map<String, String> SPAM_WORDS = new LinkedHashMap<>();

    static {
        GENRES.put("press", List.of("news", "editorial", "reviews"));
        GENRES.put("fiction", List.of("fiction", "mystery", "science_fiction", "adventure", "romance"));
        GENRES.put("learned", List.of("learned"));
        GENRES.put("government", List.of("government"));
        GENRES.put("religion", List.of("religion"));
        GENRE_WORDS.put("press", "news");
        GENRE_WORDS.put("fiction", "fiction");
        GENRE_WORDS.put("learned", "science");
        GENRE_WORDS.put("government", "government");
        GENRE_WORDS.put("religion", "religion");
        FORTUNE_WORDS.put("computers", "computer");
        FORTUNE_WORDS.put("politics", "politics");
        FORTUNE_WORDS.put("science", "science");
        FORTUNE_WORDS.put("work", "work");
        FORTUNE_WORDS.put("art", "art");
        SPAM_WORDS.put("spam", "spam");
        SPAM_WORDS.put("ham", "normal");
    }

    private final long seed;
    private final List<Doc> brown;
    private final List<MailRecord> mails;
    private final Map<String, List<Fortune>> fortunes;
    private final JsonObject stats = new JsonObject();

    /** One parsed message of the SpamAssassin corpus. */
    record MailRecord(String group, String file, boolean spam, Mail mail) {
        String id() {
            return group + "/" + file.substring(0, file.indexOf('.'));
        }
    }

    private CorpusBuilder(long seed, List<Doc> brown, List<MailRecord> mails, Map<String, List<Fortune>> fortunes) {
        this.seed = seed;
        this.brown = brown;
        this.mails = mails;
        this.fortunes = fortunes;
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new PromptTuneException("unexpected argument " + args[i]);
            }
            opts.put(args[i].substring(2), args[i + 1]);
        }
        if (args.length % 2 != 0 || !opts.keySet().containsAll(List.of("brown", "spam", "fortunes", "out"))) {
            System.err.println("usage: CorpusBuilder --brown DIR --spam DIR --fortunes DIR --out DATA_DIR"
                    + " [--sources sources.tsv] [--seed N]");
            System.exit(2);
        }
        long seed;
        try {
            seed = Long.parseLong(opts.getOrDefault("seed", Long.toString(DEFAULT_SEED)).strip());
        } catch (NumberFormatException e) {
            throw new PromptTuneException("--seed is '" + opts.get("seed") + "'; allowed: a whole number");
        }
        // Before the sources are read and the tasks built: a folder that cannot be written failed only at the end.
        dev.prompttune.tools.ToolArgs.requireWritableFolder("--out", Path.of(opts.get("out")));
        long t0 = System.nanoTime();
        CorpusBuilder b = new CorpusBuilder(seed, BrownCorpus.read(Path.of(opts.get("brown"))),
                readMails(Path.of(opts.get("spam"))), readFortunes(Path.of(opts.get("fortunes"))));
        System.err.printf("read sources in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        b.build(Path.of(opts.get("out")), opts.containsKey("sources") ? Path.of(opts.get("sources")) : null);
        System.err.printf("done in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    static List<MailRecord> readMails(Path dataDir) throws IOException {
        List<MailRecord> out = new ArrayList<>();
        List<String> groups;
        try (Stream<Path> s = Files.list(dataDir)) {
            groups = s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        }
        if (groups.isEmpty()) {
            throw new PromptTuneException(dataDir + " has no message groups (expected easy-ham-1, spam-1, ...)");
        }
        for (String g : groups) {
            List<String> files;
            try (Stream<Path> s = Files.list(dataDir.resolve(g))) {
                files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".txt")).sorted().toList();
            }
            for (String f : files) {
                out.add(new MailRecord(g, f, g.startsWith("spam"), MailText.parse(Files.readAllBytes(
                        dataDir.resolve(g).resolve(f)))));
            }
        }
        return out;
    }

    static Map<String, List<Fortune>> readFortunes(Path dir) throws IOException {
        Map<String, List<Fortune>> out = new TreeMap<>();
        for (String topic : Fortunes.topics(dir)) {
            out.put(topic, Fortunes.read(dir, topic));
        }
        if (out.isEmpty()) {
            throw new PromptTuneException(dir + " has no fortune files");
        }
        return out;
    }

    private void build(Path out, Path sources) throws IOException {
        Set<String> excludedBrownDocs = new HashSet<>();
        Set<String> excludedMailKeys = new HashSet<>();
        Set<String> excludedFortuneKeys = new HashSet<>();

        TaskSet spam = SpamTask.build(seed, mails, excludedMailKeys);
        TaskSet genre = GenreTask.build(seed, brown, excludedBrownDocs);
        TaskSet topic = FortuneTask.build(seed, fortunes, excludedFortuneKeys);
        List<TaskSet> tasks = List.of(spam, genre, topic);

        List<PretrainDoc> documents = pretrainDocuments(excludedBrownDocs, excludedMailKeys, excludedFortuneKeys);
        documents = dropLeaks(documents, tasks);

        Path tasksDir = out.resolve("tasks");
        for (TaskSet t : tasks) {
            t.write(tasksDir);
            System.err.println("task " + t.name + ": " + t.balance("train") + " / " + t.balance("dev") + " / "
                    + t.balance("test"));
        }
        writePretrain(out.resolve("corpus").resolve("pretrain.txt.gz"), documents);
        writeSources(out.resolve("corpus").resolve(SOURCES_FILE), documents);
        Provenance.write(out, sources, stats, tasks);
    }

    // ---------------------------------------------------------------------------------------------- pretraining

    /**
     * One pretraining document: where it comes from ({@code brown/CATEGORY}, {@code mail}, {@code fortune/FILE}), the
     * evaluation task whose classes that source feeds ({@code ""} when none does) and its paragraphs.
     */
    record PretrainDoc(String source, String evaluatedBy, List<String> paragraphs) {

        /** The line of {@link #SOURCES_FILE}: the source, then a tab and the evaluation task when there is one. */
        String sourceLine() {
            return evaluatedBy.isEmpty() ? source : source + "\t" + evaluatedBy;
        }
    }

    /**
     * The file beside {@code pretrain.txt.gz} naming each of its documents' sources, one line per document in the
     * same order: what the promptability mixture's source task asks about. A source that an evaluation task
     * classifies (the spam mails, the five fortune files, the Brown categories of the five genres) carries that
     * task's name, so the mixture can leave it out.
     */
    public static final String SOURCES_FILE = "sources.txt.gz";

    /** Documents (lists of paragraphs) for pretraining, without the tasks' dev and test material, shuffled. */
    private List<PretrainDoc> pretrainDocuments(Set<String> brownDocs, Set<String> mailKeys,
                                                Set<String> fortuneKeys) {
        List<PretrainDoc> docs = new ArrayList<>();
        JsonObject s = new JsonObject();

        int brownUsed = 0;
        for (Doc d : brown) {
            if (brownDocs.contains(d.id())) {
                continue;
            }
            List<String> paragraphs = new ArrayList<>();
            for (List<String> p : d.paragraphs()) {
                paragraphs.add(String.join(" ", p));
            }
            boolean evaluated = GENRES.values().stream().anyMatch(c -> c.contains(d.category()));
            docs.add(new PretrainDoc("brown/" + d.category(), evaluated ? GenreTask.NAME : "", paragraphs));
            brownUsed++;
        }
        s.addProperty("brown_documents", brownUsed);
        s.addProperty("brown_documents_held_out", brownDocs.size());

        // Mails: one per body key, English, not in a task's dev/test; boilerplate paragraphs removed.
        Map<String, Integer> paragraphMessages = new HashMap<>();
        Map<String, MailRecord> firstOfKey = new TreeMap<>();
        int heldOut = 0;
        for (MailRecord m : mails) {
            String body = Texts.firstWords(m.mail().body(), SPAM_BODY_WORDS);
            String key = Texts.key(body);
            if (mailKeys.contains(key)) {
                heldOut++;
                continue;
            }
            if (Texts.wordCount(body) < 5
                    || !Texts.looksEnglish(m.mail().subject() + " " + m.mail().body())) {
                continue;
            }
            if (firstOfKey.containsKey(key)) {
                continue;
            }
            firstOfKey.put(key, m);
            for (String p : new HashSet<>(m.mail().paragraphs())) {
                paragraphMessages.merge(Texts.key(p), 1, Integer::sum);
            }
        }
        int mailDocs = 0;
        int boilerplate = 0;
        int truncated = 0;
        List<MailRecord> kept = new ArrayList<>(firstOfKey.values());
        kept.sort(java.util.Comparator.comparing(MailRecord::id));
        for (MailRecord m : kept) {
            List<String> paragraphs = new ArrayList<>();
            if (!m.mail().subject().isEmpty()) {
                paragraphs.add(m.mail().subject());
            }
            int words = 0;
            for (String p : m.mail().paragraphs()) {
                if (paragraphMessages.getOrDefault(Texts.key(p), 0) >= BOILERPLATE_MESSAGES) {
                    boilerplate++;
                    continue;
                }
                if (words >= MAIL_PRETRAIN_WORDS) {
                    truncated++;
                    break;
                }
                paragraphs.add(p);
                words += Texts.wordCount(p);
            }
            if (paragraphs.size() > 1) {
                docs.add(new PretrainDoc("mail", SpamTask.NAME, paragraphs));
                mailDocs++;
            }
        }
        s.addProperty("mail_documents", mailDocs);
        s.addProperty("mail_held_out_dev_test", heldOut);
        s.addProperty("mail_boilerplate_paragraphs_dropped", boilerplate);
        s.addProperty("mail_documents_cut_at_" + MAIL_PRETRAIN_WORDS + "_words", truncated);

        int fortuneDocs = 0;
        int fortuneHeldOut = 0;
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, List<Fortune>> e : fortunes.entrySet()) {
            if (FORTUNES_NOT_PRETRAINED.contains(e.getKey())) {
                continue;
            }
            for (Fortune f : e.getValue()) {
                String key = Texts.key(f.text());
                if (fortuneKeys.contains(key)) {
                    fortuneHeldOut++;
                    continue;
                }
                if (Texts.letterFraction(f.text()) < 0.6 || !seen.add(key)) {
                    continue;
                }
                docs.add(new PretrainDoc("fortune/" + e.getKey(),
                        FORTUNE_WORDS.containsKey(e.getKey()) ? FortuneTask.NAME : "", List.of(f.text())));
                fortuneDocs++;
            }
        }
        s.addProperty("fortune_documents", fortuneDocs);
        s.addProperty("fortune_held_out_dev_test", fortuneHeldOut);
        stats.add("pretrain", s);
        return Texts.shuffled(docs, Texts.random(seed, 400));
    }

    /**
     * The documents without any paragraph that shares a {@link #LEAK_WINDOW}-word run (normalised words) with a
     * dev or test example of a task (near-duplicate mails, fortunes quoted in other files); documents left empty
     * are dropped.
     */
    private List<PretrainDoc> dropLeaks(List<PretrainDoc> documents, List<TaskSet> tasks) {
        Map<String, String> windows = new HashMap<>();
        for (TaskSet t : tasks) {
            for (String split : List.of("dev", "test")) {
                for (Map<String, String> e : t.split(split)) {
                    String text = e.containsKey("body") ? e.get("body") : e.get("text");
                    String[] w = Texts.key(text).split(" ");
                    for (int i = 0; i + LEAK_WINDOW <= w.length; i++) {
                        windows.putIfAbsent(String.join(" ", java.util.Arrays.copyOfRange(w, i, i + LEAK_WINDOW)),
                                t.name + "/" + split + "/" + e.get("id"));
                    }
                }
            }
        }
        Map<String, Integer> droppedPerTask = new TreeMap<>();
        List<PretrainDoc> out = new ArrayList<>(documents.size());
        for (PretrainDoc d : documents) {
            List<String> kept = new ArrayList<>(d.paragraphs().size());
            for (String p : d.paragraphs()) {
                String[] w = Texts.key(p).split(" ");
                String hit = null;
                for (int i = 0; i + LEAK_WINDOW <= w.length && hit == null; i++) {
                    hit = windows.get(String.join(" ", java.util.Arrays.copyOfRange(w, i, i + LEAK_WINDOW)));
                }
                if (hit == null) {
                    kept.add(p);
                } else {
                    droppedPerTask.merge(hit.substring(0, hit.indexOf('/')), 1, Integer::sum);
                }
            }
            if (!kept.isEmpty()) {
                out.add(new PretrainDoc(d.source(), d.evaluatedBy(), kept));
            }
        }
        JsonObject s = new JsonObject();
        droppedPerTask.forEach(s::addProperty);
        stats.add("pretrain_paragraphs_dropped_as_near_duplicates_of_dev_test", s);
        stats.addProperty("leak_rule", "no pretraining paragraph shares a run of " + LEAK_WINDOW
                + " normalised words with a dev or test example");
        System.err.println("leak filter dropped paragraphs: " + droppedPerTask);
        return out;
    }

    private void writePretrain(Path file, List<PretrainDoc> documents) throws IOException {
        Files.createDirectories(file.getParent());
        long chars = 0;
        long words = 0;
        long paragraphs = 0;
        try (OutputStream os = Files.newOutputStream(file);
             GZIPOutputStream gz = new GZIPOutputStream(os, 1 << 16) {
                 {
                     def.setLevel(java.util.zip.Deflater.BEST_COMPRESSION);
                 }
             };
             BufferedWriter w = new BufferedWriter(new OutputStreamWriter(gz, StandardCharsets.UTF_8))) {
            for (PretrainDoc d : documents) {
                for (String p : d.paragraphs()) {
                    w.write(p);
                    w.write('\n');
                    chars += p.length() + 1;
                    words += Texts.wordCount(p);
                    paragraphs++;
                }
                w.write('\n');
                chars++;
            }
        }
        JsonObject s = stats.getAsJsonObject("pretrain");
        s.addProperty("documents", documents.size());
        s.addProperty("paragraphs", paragraphs);
        s.addProperty("words", words);
        s.addProperty("characters", chars);
        s.addProperty("gzip_bytes", Files.size(file));
        System.err.println("pretrain: " + s);
    }

    /** One line per document of {@code pretrain.txt.gz}, in its order: the document's source. */
    private void writeSources(Path file, List<PretrainDoc> documents) throws IOException {
        try (OutputStream os = Files.newOutputStream(file);
             GZIPOutputStream gz = new GZIPOutputStream(os, 1 << 16) {
                 {
                     def.setLevel(java.util.zip.Deflater.BEST_COMPRESSION);
                 }
             };
             BufferedWriter w = new BufferedWriter(new OutputStreamWriter(gz, StandardCharsets.UTF_8))) {
            for (PretrainDoc d : documents) {
                w.write(d.sourceLine());
                w.write('\n');
            }
        }
        Map<String, Integer> perSource = new TreeMap<>();
        documents.forEach(d -> perSource.merge(d.source().replaceFirst("/.*", ""), 1, Integer::sum));
        System.err.println("sources: " + file.getFileName() + " " + perSource);
    }
}
