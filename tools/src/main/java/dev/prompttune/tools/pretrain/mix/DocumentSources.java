package dev.prompttune.tools.pretrain.mix;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.PathProblems;
import dev.prompttune.tools.corpus.CorpusBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Where each pretraining document comes from, as {@code data/build-corpus.sh} writes it beside the corpus
 * ({@code corpus/sources.txt.gz}: one line per document, in the corpus's order, {@code SOURCE} or
 * {@code SOURCE<tab>TASK}): {@code brown/CATEGORY}, {@code mail} or {@code fortune/FILE}, and the evaluation task
 * whose classes that source feeds, if any. The source task ({@link TopicTask#ofSources}) asks only about sources
 * no evaluation task classifies.
 */
public final class DocumentSources {

    /** The file's name beside the corpus (its writer defines it). */
    public static final String FILE = CorpusBuilder.SOURCES_FILE;

    /** No sources known (every document unnamed): for recipes without the source task. */
    public static final DocumentSources NONE = new DocumentSources(List.of(), List.of());

    private final List<String> sources;
    private final List<String> evaluatedBy;

    private DocumentSources(List<String> sources, List<String> evaluatedBy) {
        this.sources = List.copyOf(sources);
        this.evaluatedBy = List.copyOf(evaluatedBy);
    }

    /** The sources of {@code corpus}'s documents, read from {@value #FILE} beside it; an error says what is missing. */
    public static DocumentSources beside(Path corpus) {
        Path file = corpus.resolveSibling(FILE);
        if (!Files.isRegularFile(file)) {
            throw new PromptTuneException("the source task needs " + file + " (one source a document of " + corpus
                    + ", written by data/build-corpus.sh), and there is no such file");
        }
        List<String> sources = new ArrayList<>();
        List<String> evaluatedBy = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = new GZIPInputStream(raw, 1 << 16);
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                String[] f = line.split("\t", -1);
                if (f.length > 2 || f[0].isBlank()) {
                    throw new PromptTuneException(file + " line " + (sources.size() + 1) + ": expected SOURCE or "
                            + "SOURCE<tab>TASK, got '" + line + "'");
                }
                sources.add(f[0]);
                evaluatedBy.add(f.length == 2 ? f[1] : "");
            }
        } catch (IOException e) {
            throw new PromptTuneException("cannot read " + file + ": " + PathProblems.describe(file, e), e);
        }
        return new DocumentSources(sources, evaluatedBy);
    }

    /**
     * The sources of given documents (for tests).
     *
     * @param evaluatedBy per document, the evaluation task its source feeds, or {@code ""}
     */
    static DocumentSources of(List<String> sources, List<String> evaluatedBy) {
        return new DocumentSources(sources, evaluatedBy);
    }

    /**
     * The source of {@code document} ({@code fortune/love}) when no evaluation task classifies it, else null; null
     * too for a document this file does not name.
     */
    public String unevaluatedSource(int document) {
        return document < sources.size() && evaluatedBy.get(document).isEmpty() ? sources.get(document) : null;
    }

    /** Throws when the corpus has more documents than this file names: it belongs to another corpus. */
    void requireCovers(List<Passage> passages) {
        int documents = 0;
        for (Passage p : passages) {
            documents = Math.max(documents, p.document() + 1);
        }
        if (documents > sources.size()) {
            throw new PromptTuneException("the corpus has at least " + documents + " documents but " + FILE + " names "
                    + sources.size() + ": it belongs to another corpus; rebuild both with data/build-corpus.sh");
        }
    }
}
