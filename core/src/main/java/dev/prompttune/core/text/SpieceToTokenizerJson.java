package dev.prompttune.core.text;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.AtomicFiles;
import dev.prompttune.core.io.PathProblems;
import dev.prompttune.core.text.SpieceModel.Piece;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/**
 * Writes a sentencepiece unigram model as a Hugging Face {@code tokenizer.json}, the way transformers'
 * {@code T5Converter} (an {@code SpmConverter}) builds {@code T5TokenizerFast} from {@code spiece.model}
 * with {@code legacy=True}:
 *
 * <ul>
 *   <li>model: {@code Unigram} with every piece's [text, score], then {@code <extra_id_N>} (score 0) from
 *       N = extraIds - 1 down to 0, {@code unk_id} from the trainer spec, no byte fallback;</li>
 *   <li>normalizer: {@code Sequence[Precompiled(charsmap), Strip(right), Replace(/ {2,}/, "▁")]} (the
 *       {@code Precompiled} step only where the model has a character map);</li>
 *   <li>pre-tokenizer and decoder: {@code Metaspace("▁", prepend_scheme "always", split)};</li>
 *   <li>post-processor: {@code TemplateProcessing} {@code "$A </s>"} / {@code "$A </s> $B </s>"};</li>
 *   <li>added tokens: control pieces and {@code <unk>} (special), user-defined pieces (not special), and the
 *       sentinels (special, stripping the whitespace beside them), all with {@code normalized: false}.</li>
 * </ul>
 *
 * <p>Loaded with {@link HfJsonT5Tokenizer}, the result reproduces {@code T5TokenizerFast}'s ids.
 */
public final class SpieceToTokenizerJson {

    private static final String META = "▁";
    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().setPrettyPrinting()
            .create();

    private SpieceToTokenizerJson() {}

    /** Reads {@code spieceModel} and writes its {@code tokenizer.json} with {@code extraIds} sentinels to {@code out}. */
    public static void convert(Path spieceModel, int extraIds, Path out) {
        write(SpieceModel.read(spieceModel), extraIds, out);
    }

    /**
     * Writes {@code model} as a {@code tokenizer.json} (replacing {@code out} atomically where the file system can).
     *
     * @throws PromptTuneException if the model cannot be expressed (not unigram, no {@code </s>}) or the file
     *                             cannot be written
     */
    public static void write(SpieceModel model, int extraIds, Path out) {
        String json = toJsonString(model, extraIds);
        Path dir = out.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            AtomicFiles.write(out, json.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new PromptTuneException("cannot write tokenizer " + out + ": " + PathProblems.describe(out, e), e);
        }
    }

    /** The {@code tokenizer.json} text (pretty-printed like the files transformers saves). */
    public static String toJsonString(SpieceModel model, int extraIds) {
        return GSON.toJson(toJson(model, extraIds));
    }

    /** The {@code tokenizer.json} document. */
    public static JsonObject toJson(SpieceModel model, int extraIds) {
        if (extraIds < 0) {
            throw new PromptTuneException("extra_ids must be >= 0, got " + extraIds);
        }
        if (model.modelType() != SpieceModel.UNIGRAM) {
            throw new PromptTuneException("cannot write a tokenizer.json for sentencepiece model_type "
                    + model.modelType() + ": only unigram (1), T5's type, is supported");
        }
        int eos = model.pieceId(TokenizerSupport.EOS);
        if (eos < 0) {
            throw new PromptTuneException("cannot write a T5 tokenizer.json: the sentencepiece model has no "
                    + TokenizerSupport.EOS + " piece");
        }
        List<Piece> pieces = model.pieces();
        int spSize = pieces.size();

        JsonObject root = new JsonObject();
        root.addProperty("version", "1.0");
        root.add("truncation", JsonNull.INSTANCE);
        root.add("padding", JsonNull.INSTANCE);

        JsonArray added = new JsonArray();
        for (int id = 0; id < spSize; id++) {
            Piece p = pieces.get(id);
            if (p.type() == Piece.CONTROL || p.type() == Piece.UNKNOWN) {
                added.add(addedToken(id, p.text(), false, true));
            } else if (p.type() == Piece.USER_DEFINED) {
                added.add(addedToken(id, p.text(), false, false));
            }
        }
        for (int id = spSize; id < spSize + extraIds; id++) {
            added.add(addedToken(id, TokenizerSupport.sentinel(spSize + extraIds - 1 - id), true, true));
        }
        root.add("added_tokens", added);

        root.add("normalizer", normalizer(model.normalizer().precompiledCharsmap()));
        root.add("pre_tokenizer", metaspace());
        root.add("post_processor", eosTemplate(eos));
        root.add("decoder", metaspace());

        JsonObject unigram = new JsonObject();
        unigram.addProperty("type", "Unigram");
        unigram.addProperty("unk_id", model.unkId());
        JsonArray vocab = new JsonArray();
        for (Piece p : pieces) {
            vocab.add(entry(p.text(), p.score()));
        }
        for (int i = extraIds - 1; i >= 0; i--) {
            vocab.add(entry(TokenizerSupport.sentinel(i), 0f));
        }
        unigram.add("vocab", vocab);
        unigram.addProperty("byte_fallback", false);
        root.add("model", unigram);
        return root;
    }

    private static JsonObject addedToken(int id, String content, boolean strip, boolean special) {
        JsonObject t = new JsonObject();
        t.addProperty("id", id);
        t.addProperty("content", content);
        t.addProperty("single_word", false);
        t.addProperty("lstrip", strip);
        t.addProperty("rstrip", strip);
        t.addProperty("normalized", false);
        t.addProperty("special", special);
        return t;
    }

    private static JsonArray entry(String piece, float score) {
        JsonArray e = new JsonArray();
        e.add(piece);
        e.add((double) score); // float32 widened exactly, as Python stores it
        return e;
    }

    private static JsonObject normalizer(byte[] charsmap) {
        JsonArray steps = new JsonArray();
        if (charsmap.length > 0) {
            JsonObject precompiled = new JsonObject();
            precompiled.addProperty("type", "Precompiled");
            precompiled.addProperty("precompiled_charsmap", Base64.getEncoder().encodeToString(charsmap));
            steps.add(precompiled);
        }
        JsonObject strip = new JsonObject();
        strip.addProperty("type", "Strip");
        strip.addProperty("strip_left", false);
        strip.addProperty("strip_right", true);
        steps.add(strip);
        JsonObject replace = new JsonObject();
        replace.addProperty("type", "Replace");
        JsonObject pattern = new JsonObject();
        pattern.addProperty("Regex", " {2,}");
        replace.add("pattern", pattern);
        replace.addProperty("content", META);
        steps.add(replace);

        JsonObject sequence = new JsonObject();
        sequence.addProperty("type", "Sequence");
        sequence.add("normalizers", steps);
        return sequence;
    }

    private static JsonObject metaspace() {
        JsonObject m = new JsonObject();
        m.addProperty("type", "Metaspace");
        m.addProperty("replacement", META);
        m.addProperty("prepend_scheme", "always");
        m.addProperty("split", true);
        return m;
    }

    private static JsonObject eosTemplate(int eosId) {
        JsonObject t = new JsonObject();
        t.addProperty("type", "TemplateProcessing");
        t.add("single", template("A"));
        t.add("pair", template("A", "B"));
        JsonObject eos = new JsonObject();
        eos.addProperty("id", TokenizerSupport.EOS);
        JsonArray ids = new JsonArray();
        ids.add(eosId);
        eos.add("ids", ids);
        JsonArray tokens = new JsonArray();
        tokens.add(TokenizerSupport.EOS);
        eos.add("tokens", tokens);
        JsonObject special = new JsonObject();
        special.add(TokenizerSupport.EOS, eos);
        t.add("special_tokens", special);
        return t;
    }

    /** {@code $A </s>} (and {@code $B </s>}), all with type id 0 as T5's template has. */
    private static JsonArray template(String... sequences) {
        JsonArray items = new JsonArray();
        for (String s : sequences) {
            JsonObject seq = new JsonObject();
            seq.addProperty("id", s);
            seq.addProperty("type_id", 0);
            JsonObject wrapSeq = new JsonObject();
            wrapSeq.add("Sequence", seq);
            items.add(wrapSeq);
            JsonObject tok = new JsonObject();
            tok.addProperty("id", TokenizerSupport.EOS);
            tok.addProperty("type_id", 0);
            JsonObject wrapTok = new JsonObject();
            wrapTok.add("SpecialToken", tok);
            items.add(wrapTok);
        }
        return items;
    }
}
