package dev.prompttune.dsl;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.PathProblems;
import dev.prompttune.core.model.T5Config;
import dev.prompttune.core.peft.PeftAdapter;
import dev.prompttune.core.prompt.Placement;
import dev.prompttune.core.promptfile.PromptCheck;
import dev.prompttune.core.promptfile.PromptFile;
import dev.prompttune.core.promptfile.PromptMetadata;
import dev.prompttune.core.run.PromptTuneRun;
import dev.prompttune.core.spec.ModelResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** PEFT adapters to and from prompttune's own files (shared by the DSL verbs and the CLI commands). */
public final class PeftFiles {

    private PeftFiles() {}

    /**
     * Writes a run's prompt as a PEFT prompt-tuning adapter directory. A run with a record is checked against its
     * model as its prompt file says ({@link PromptCheck}: width, finite values, fingerprint unless {@code anyModel});
     * a run in memory, for width and finite values.
     *
     * @param baseModel {@code base_model_name_or_path} to record (null: the run's model setting)
     */
    public static Path export(PromptTuneRun run, Path dir, String baseModel, boolean anyModel) {
        return export(run, dir, baseModel, anyModel, "export-peft");
    }

    /** {@link #export(PromptTuneRun, Path, String, boolean)}, messages naming {@code verb} ({@code exportPeft}). */
    static Path export(PromptTuneRun run, Path dir, String baseModel, boolean anyModel, String verb) {
        Path file = run.record() == null ? null : run.record().resolve("prompt.safetensors");
        PromptMetadata meta = file != null && Files.isRegularFile(file) ? PromptFile.load(file).metadata() : null;
        String source = file != null ? file.toString() : run.name();
        // A prompt loaded from a file keeps that file's metadata in the adapter (checked when it was loaded).
        PromptMetadata kept = meta != null ? meta : PromptFiles.loadedMetadata(run);
        return export(source, run.prompt(), run.length(), run.width(), meta, kept, run.spec().model(), run.spec().precision(),
                run.spec().placement(), dir, baseModel, anyModel, verb);
    }

    /** {@link #export(PromptTuneRun, Path, String, boolean)} with the fingerprint checked. */
    public static Path export(PromptTuneRun run, Path dir, String baseModel) {
        return export(run, dir, baseModel, false);
    }

    /**
     * Writes a saved prompt file ({@code NAME.safetensors}) as a PEFT adapter; {@code model} (null: the file's base
     * model) gives width, heads and layers, and is what the prompt is checked against.
     */
    public static Path exportPrompt(Path promptFile, String model, Path dir, String baseModel, boolean anyModel) {
        PromptFile.Loaded loaded = PromptFile.load(promptFile);
        String m = model != null ? model : loaded.metadata().baseModel();
        if (m == null) {
            throw new PromptTuneException("export-peft: " + promptFile + " does not record its base model; give --model");
        }
        Object precision = loaded.metadata().hyperParameters().get("precision");
        Placement placement = loaded.metadata().placement() == null ? Placement.PREFIX : Placement.parse(loaded.metadata().placement());
        return export(loaded.file().toString(), loaded.values(), loaded.length(), loaded.width(), loaded.metadata(),
                loaded.metadata(), m, precision == null ? "fp32" : precision.toString(), placement, dir, baseModel, anyModel, "export-peft");
    }

    /** What an adapter's target folder may be, for messages. */
    static final String ADAPTER_TARGET = "a folder for the adapter (new, or one whose adapter files may be replaced) "
            + "that this user can write";

    /**
     * Refuses an adapter target that is a file or under which no folder can be made (a file on its path, a folder this
     * user cannot write), before anything is read or written.
     *
     * @param verb what is writing, for the message ({@code export-peft}, {@code exportPeft})
     */
    static void requireAdapterTarget(String verb, Path dir) {
        if (Files.isRegularFile(dir)) {
            throw new PromptTuneException(verb + ": " + dir + " is a file; allowed: " + ADAPTER_TARGET);
        }
        if (Files.isRegularFile(dir.resolve("spec.json")) || Files.isRegularFile(dir.resolve("summary.json"))) {
            // Its files would sit among the record's, which only its run writes (and `load` reads).
            throw new PromptTuneException(verb + ": " + dir + " is a run record folder; allowed: a folder outside run "
                    + "records, e.g. " + dir.resolveSibling(dir.getFileName() + "-peft"));
        }
        String problem = PathProblems.cannotCreate(dir);
        if (problem != null) {
            throw new PromptTuneException(verb + ": cannot create the folder " + dir + ": " + problem + "; allowed: "
                    + ADAPTER_TARGET);
        }
    }

    /** Refuses a prompt trained elsewhere than before the input: PEFT's prompt tuning puts its tokens there. */
    static void requirePrefix(String verb, String source, Placement placement) {
        if (placement != Placement.PREFIX) {
            throw new PromptTuneException(verb + ": " + source + " was trained with placement '" + placement.key()
                    + "', but a PEFT prompt-tuning adapter puts its prompt before the input; allowed: a prompt trained "
                    + "with placement 'prefix'");
        }
    }

    /**
     * @param meta the metadata the prompt is checked by (null: none; the fingerprint is then not checked)
     * @param kept the metadata the adapter keeps (null: none; a bare record naming {@code model})
     */
    private static Path export(String source, float[] values, int length, int width, PromptMetadata meta, PromptMetadata kept,
                               String model, String precision, Placement placement, Path dir, String baseModel,
                               boolean anyModel, String verb) {
        requirePrefix(verb, source, placement);
        Path modelDir = ModelResolver.resolve(model);
        PromptCheck.Target target = PromptCheck.Target.ofCheckpoint(model, modelDir, precision);
        PromptCheck.check(source, values, length, width, meta, target, anyModel);
        T5Config config = T5Config.load(modelDir);
        requireAdapterTarget(verb, dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new PromptTuneException(verb + ": cannot create the folder " + dir + ": "
                    + PathProblems.describe(dir, e) + "; allowed: " + ADAPTER_TARGET, e);
        }
        PeftAdapter.exportTo(dir, values, length, config, baseModel != null ? baseModel : model, fingerprinted(kept, model, target));
        return dir;
    }

    /**
     * {@code meta} (null: a bare record naming {@code model}) with an embedding fingerprint: its own (a prompt loaded
     * with {@code anyModel} keeps the foreign one, and stays refused without it), else that of {@code target}, the
     * model the prompt was checked against and is written for.
     */
    private static PromptMetadata fingerprinted(PromptMetadata meta, String model, PromptCheck.Target target) {
        PromptMetadata m = meta != null ? meta : PromptMetadata.builder().baseModel(model).build();
        return m.embeddingFingerprint() != null || target == null ? m
                : m.toBuilder().embeddingFingerprint(target.fingerprint().get()).build();
    }

    /**
     * Imports a PEFT prompt-tuning adapter as a prompttune prompt file ({@code out.safetensors} + {@code out.json}),
     * checked as every reader checks an adapter ({@link PeftAdapter#check}); with {@code model}, against that model
     * (width, and the fingerprint an adapter prompttune wrote records, unless {@code anyModel}), and the file records
     * that model's fingerprint when the adapter has none of its own. An adapter prompttune wrote keeps its metadata.
     *
     * @return the safetensors file
     */
    public static Path importAsPrompt(Path adapterDir, Path out, String model, boolean anyModel) {
        if (Files.isDirectory(out)) { // --out names the prompt file (DIR/NAME), not a folder to write into
            throw new PromptTuneException("import-peft: --out " + out + " is a directory; allowed: a prompt file name "
                    + "DIR/NAME (NAME.safetensors and NAME.json are written in DIR), e.g. " + out.resolve("prompt"));
        }
        PromptFiles.requireOutsideRecordsAndAdapters(out, "import-peft: --out");
        PeftAdapter adapter = PeftAdapter.importFrom(adapterDir);
        PromptMetadata recorded = adapter.recorded();
        Object precision = recorded == null ? null : recorded.hyperParameters().get("precision");
        PromptCheck.Target target = model == null ? null : PromptCheck.Target.ofCheckpoint(model, ModelResolver.resolve(model),
                precision instanceof String p ? p : "fp32");
        adapter.check(target, anyModel);
        PromptMetadata meta;
        if (recorded != null && recorded.baseModel() != null) {
            meta = recorded;
        } else {
            Map<String, Object> init = new LinkedHashMap<>();
            init.put("kind", "peft");
            init.put("source", adapterDir.toString());
            meta = (recorded != null ? recorded.toBuilder() : PromptMetadata.builder())
                    .baseModel(model != null ? model : adapter.baseModel()).init(init).build();
        }
        meta = fingerprinted(meta, model, target);
        Path parent = out.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new PromptTuneException("import-peft: cannot create " + parent + ": " + PathProblems.describe(parent, e), e);
        }
        return PromptFile.save(out, adapter.values(), adapter.length(), adapter.width(), meta);
    }
}
