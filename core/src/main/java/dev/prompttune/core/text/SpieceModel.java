package dev.prompttune.core.text;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.PathProblems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The parts of a sentencepiece model ({@code spiece.model}, a serialized {@code ModelProto}) that a T5 tokenizer
 * needs: the pieces with their scores and types, the trainer's model type and special ids, and the normalizer.
 *
 * <p>Read by hand from the protobuf wire format (no protobuf library): {@code ModelProto} field 1 = repeated
 * {@code SentencePiece} (piece 1, score 2, type 3), field 2 = {@code TrainerSpec} (model_type 3, byte_fallback 35,
 * unk_id 40, bos_id 41, eos_id 42, pad_id 43), field 3 = {@code NormalizerSpec} (name 1, precompiled_charsmap 2,
 * add_dummy_prefix 3, remove_extra_whitespaces 4, escape_whitespaces 5). Unset fields take the proto's defaults.
 *
 * <p>Can also be built directly (for a tokenizer trained in Java) and written as a Hugging Face
 * {@code tokenizer.json} with {@link SpieceToTokenizerJson}.
 */
public final class SpieceModel {

    /** {@code TrainerSpec.ModelType.UNIGRAM}, the only type a T5 tokenizer uses. */
    public static final int UNIGRAM = 1;
    /** {@code TrainerSpec.ModelType.BPE}. */
    public static final int BPE = 2;

    /** One vocabulary entry. {@code type} is sentencepiece's {@code SentencePiece.Type}. */
    public record Piece(String text, float score, int type) {
        public static final int NORMAL = 1;
        public static final int UNKNOWN = 2;
        public static final int CONTROL = 3;
        public static final int USER_DEFINED = 4;
        public static final int UNUSED = 5;
        public static final int BYTE = 6;

        public Piece {
            Objects.requireNonNull(text, "text");
        }
    }

    /** {@code NormalizerSpec}: the precompiled character map (may be empty) and the whitespace switches. */
    public record Normalizer(String name, byte[] precompiledCharsmap, boolean addDummyPrefix,
                             boolean removeExtraWhitespaces, boolean escapeWhitespaces) {
        public Normalizer {
            precompiledCharsmap = precompiledCharsmap == null ? new byte[0] : precompiledCharsmap.clone();
        }

        @Override
        public byte[] precompiledCharsmap() {
            return precompiledCharsmap.clone();
        }
    }

    private final List<Piece> pieces;
    private final Map<String, Integer> ids;
    private final int modelType;
    private final int unkId;
    private final int bosId;
    private final int eosId;
    private final int padId;
    private final boolean byteFallback;
    private final Normalizer normalizer;

    /**
     * @param pieces       the vocabulary, id = position
     * @param modelType    {@link #UNIGRAM} or {@link #BPE} (others are sentencepiece's WORD 3 and CHAR 4)
     * @param unkId        id of the unknown piece; bosId, eosId, padId: -1 where absent
     * @param byteFallback {@code TrainerSpec.byte_fallback}
     * @param normalizer   the normalizer spec
     */
    public SpieceModel(List<Piece> pieces, int modelType, int unkId, int bosId, int eosId, int padId,
                       boolean byteFallback, Normalizer normalizer) {
        if (pieces.isEmpty()) {
            throw new IllegalArgumentException("the model has no pieces");
        }
        if (unkId < 0 || unkId >= pieces.size()) {
            throw new IllegalArgumentException("unk_id " + unkId + " is outside the vocabulary [0, " + pieces.size() + ")");
        }
        this.pieces = List.copyOf(pieces);
        Map<String, Integer> map = new HashMap<>(pieces.size() * 2);
        for (int i = 0; i < pieces.size(); i++) {
            map.putIfAbsent(pieces.get(i).text(), i);
        }
        this.ids = Collections.unmodifiableMap(map);
        this.modelType = modelType;
        this.unkId = unkId;
        this.bosId = bosId;
        this.eosId = eosId;
        this.padId = padId;
        this.byteFallback = byteFallback;
        this.normalizer = Objects.requireNonNull(normalizer, "normalizer");
    }

    /**
     * Reads a {@code spiece.model} file.
     *
     * @throws PromptTuneException naming the file if it cannot be read or is not a sentencepiece model
     */
    public static SpieceModel read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new PromptTuneException("cannot read sentencepiece model " + file + ": " + PathProblems.describe(file, e), e);
        }
        return parse(bytes, file.toString());
    }

    /**
     * Parses a serialized {@code ModelProto}.
     *
     * @param source names the bytes in the error message (a file name)
     * @throws PromptTuneException "SOURCE is not a valid sentencepiece model (...)" on malformed input
     */
    public static SpieceModel parse(byte[] bytes, String source) {
        try {
            return parse(bytes);
        } catch (IllegalArgumentException e) {
            throw notValid(source, e.getMessage());
        }
    }

    static PromptTuneException notValid(String source, String reason) {
        return new PromptTuneException(source + " is not a valid sentencepiece model (" + reason + ")");
    }

    private static SpieceModel parse(byte[] bytes) {
        if (bytes.length == 0) {
            throw new IllegalArgumentException("the file is empty");
        }
        List<Piece> pieces = new ArrayList<>();
        // TrainerSpec defaults (sentencepiece_model.proto).
        int modelType = UNIGRAM;
        int unkId = 0;
        int bosId = 1;
        int eosId = 2;
        int padId = -1;
        boolean byteFallback = false;
        // NormalizerSpec defaults.
        String name = "";
        byte[] charsmap = new byte[0];
        boolean addDummyPrefix = true;
        boolean removeExtraWhitespaces = true;
        boolean escapeWhitespaces = true;
        boolean sawTrainerSpec = false;

        ProtoReader model = new ProtoReader(bytes);
        while (model.hasMore()) {
            int tag = model.readTag();
            int field = tag >>> 3;
            if (field == 1 && (tag & 7) == ProtoReader.LENGTH_DELIMITED) {
                pieces.add(readPiece(model.readMessage(), pieces.size()));
            } else if (field == 2 && (tag & 7) == ProtoReader.LENGTH_DELIMITED) {
                sawTrainerSpec = true;
                ProtoReader spec = model.readMessage();
                while (spec.hasMore()) {
                    int t = spec.readTag();
                    switch (t) {
                        case 3 << 3 -> modelType = spec.readInt32();
                        case 35 << 3 -> byteFallback = spec.readBool();
                        case 40 << 3 -> unkId = spec.readInt32();
                        case 41 << 3 -> bosId = spec.readInt32();
                        case 42 << 3 -> eosId = spec.readInt32();
                        case 43 << 3 -> padId = spec.readInt32();
                        default -> spec.skip(t);
                    }
                }
            } else if (field == 3 && (tag & 7) == ProtoReader.LENGTH_DELIMITED) {
                ProtoReader spec = model.readMessage();
                while (spec.hasMore()) {
                    int t = spec.readTag();
                    switch (t) {
                        case 1 << 3 | ProtoReader.LENGTH_DELIMITED -> name = spec.readString();
                        case 2 << 3 | ProtoReader.LENGTH_DELIMITED -> charsmap = spec.readBytes();
                        case 3 << 3 -> addDummyPrefix = spec.readBool();
                        case 4 << 3 -> removeExtraWhitespaces = spec.readBool();
                        case 5 << 3 -> escapeWhitespaces = spec.readBool();
                        default -> spec.skip(t);
                    }
                }
            } else if (field <= 5 && (tag & 7) != ProtoReader.LENGTH_DELIMITED) {
                // Fields 1..5 of ModelProto are all messages; anything else there is not a model.
                throw new IllegalArgumentException("field " + field + " has wire type " + (tag & 7)
                        + ", expected an embedded message");
            } else {
                model.skip(tag);
            }
        }
        if (pieces.isEmpty()) {
            throw new IllegalArgumentException("no pieces");
        }
        if (!sawTrainerSpec) {
            throw new IllegalArgumentException("no trainer_spec");
        }
        if (unkId < 0 || unkId >= pieces.size() || pieces.get(unkId).type() != Piece.UNKNOWN) {
            throw new IllegalArgumentException("unk_id " + unkId + " does not name the <unk> piece");
        }
        return new SpieceModel(pieces, modelType, unkId, bosId, eosId, padId, byteFallback,
                new Normalizer(name, charsmap, addDummyPrefix, removeExtraWhitespaces, escapeWhitespaces));
    }

    private static Piece readPiece(ProtoReader r, int id) {
        String text = null;
        float score = 0f;
        int type = Piece.NORMAL;
        while (r.hasMore()) {
            int t = r.readTag();
            switch (t) {
                case 1 << 3 | ProtoReader.LENGTH_DELIMITED -> text = r.readString();
                case 2 << 3 | ProtoReader.FIXED32 -> score = r.readFloat();
                case 3 << 3 -> type = r.readInt32();
                default -> r.skip(t);
            }
        }
        if (text == null) {
            throw new IllegalArgumentException("piece " + id + " has no text");
        }
        if (type < Piece.NORMAL || type > Piece.BYTE) {
            throw new IllegalArgumentException("piece " + id + " has unknown type " + type);
        }
        return new Piece(text, score, type);
    }

    /** Pieces in id order. */
    public List<Piece> pieces() {
        return pieces;
    }

    /** Number of pieces (sentencepiece's vocabulary size, without T5's sentinels). */
    public int size() {
        return pieces.size();
    }

    /** The id of a piece, or -1 if the vocabulary does not contain it. */
    public int pieceId(String text) {
        Integer id = ids.get(text);
        return id == null ? -1 : id;
    }

    public int modelType() {
        return modelType;
    }

    public int unkId() {
        return unkId;
    }

    /** -1 where the model has no bos piece (T5's has none). */
    public int bosId() {
        return bosId;
    }

    public int eosId() {
        return eosId;
    }

    /** -1 where the model has no pad piece. */
    public int padId() {
        return padId;
    }

    public boolean byteFallback() {
        return byteFallback;
    }

    public Normalizer normalizer() {
        return normalizer;
    }
}
