package dev.prompttune.tools.pretrain;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.AtomicFiles;
import dev.prompttune.core.io.PathProblems;
import dev.prompttune.core.text.T5Tokenizer;
import dev.prompttune.core.text.T5Tokenizers;
import dev.prompttune.tools.pretrain.mix.PromptabilityMixture;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a build's promptability-mixture examples, tokenized, to one file, so that a trainer outside the JVM (the GPU
 * build, {@code tools/gpu/pretrain_t5.py}) trains on exactly the mixture the Java build defines: the same passages
 * under the same hold-out check, the same tasks and the same draws. The first {@code mix-steps × batch} training
 * examples are the ones {@code models/build-t5-mini.sh} with the same options trains on; more are drawn from the
 * same stream.
 *
 * <p>File format (gzip; inside it big-endian, as {@link DataOutputStream} writes):
 * <pre>
 *   int32 magic "PTMX", int32 version 1, int32 vocab size, int32 train count, int32 held-out count
 *   then per example (train first, then held-out):
 *     uint16 input length, uint16 target length, input ids (uint16 each), target ids (uint16 each)
 * </pre>
 * Inputs and targets end with eos, as {@link Example}. A JSON file beside it ({@code FILE.json}) names the options.
 *
 * <pre>
 *   models/export-mixture.sh --examples 1000000 --file build/gpu/mixture.bin.gz [build options...]
 * </pre>
 */
public final class MixtureExport {

    static final int MAGIC = 0x50544D58; // "PTMX"
    static final int VERSION = 1;
    /** Examples drawn and written per block, so a million examples never sit in memory at once. */
    private static final int BLOCK = 8192;

    /** Examples read back: encoder inputs and decoder targets, each row ending with eos. */
    public record Examples(int vocabSize, long[][] trainInputs, long[][] trainTargets, long[][] heldInputs,
                           long[][] heldTargets) {}

    private MixtureExport() {}

    public static void main(String[] args) {
        try {
            export(args);
        } catch (PromptTuneException e) {
            System.err.println("export-mixture: " + e.getMessage());
            dev.prompttune.core.run.ProcessExit.now(2);
        }
        dev.prompttune.core.run.ProcessExit.now(0);
    }

    /**
     * {@code --examples N --file F} then the build's own options ({@link PretrainOptions}: corpus, tokenizer, tasks,
     * seed, mixture recipe and input length, batch, held-out examples).
     */
    static void export(String[] args) {
        List<String> rest = new ArrayList<>();
        long examples = -1;
        Path file = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ((a.equals("--examples") || a.equals("--file")) && i + 1 < args.length) {
                String v = args[++i];
                if (a.equals("--file")) {
                    if (v.isBlank()) {
                        throw new PromptTuneException("--file is empty; give the path of the file to write");
                    }
                    file = Path.of(v);
                    if (Files.isDirectory(file)) {
                        throw new PromptTuneException("--file " + v + " is a folder; give the path of the file to "
                                + "write, e.g. " + file.resolve("mixture.bin.gz"));
                    }
                } else {
                    try {
                        examples = Long.parseLong(v);
                    } catch (NumberFormatException e) {
                        examples = -1;
                    }
                    if (examples < 1 || examples > Integer.MAX_VALUE) {
                        throw new PromptTuneException("--examples is '" + v + "'; allowed: a whole number from 1 to "
                                + Integer.MAX_VALUE);
                    }
                }
            } else {
                rest.add(a);
            }
        }
        if (examples < 1 || file == null) {
            throw new PromptTuneException("give --examples N (training examples to write) and --file F (where)");
        }
        PretrainOptions options = PretrainOptions.parse(rest.toArray(String[]::new));
        long t0 = System.nanoTime();
        try (T5Tokenizer tokenizer = T5Tokenizers.load(options.tokenizer())) {
            if (tokenizer.vocabSize() > 65_536) {
                throw new PromptTuneException("the tokenizer has " + tokenizer.vocabSize()
                        + " ids; the export stores ids as 16-bit numbers (at most 65,536)");
            }
            PromptabilityMixture mixture = MixtureBuild.of(options, tokenizer);
            write(mixture, tokenizer.vocabSize(), (int) examples, options, file);
        }
        System.out.printf(Locale.ROOT, "wrote %,d training and %,d held-out examples to %s (%,d bytes) in %.1f s%n",
                examples, options.devExamples(), file, size(file), (System.nanoTime() - t0) / 1e9);
    }

    /** Draws as the build does ({@link Pretrainer#phaseSeed}) and writes atomically, with the JSON file beside it. */
    static void write(PromptabilityMixture mixture, int vocabSize, int examples, PretrainOptions options, Path file) {
        write(mixture, vocabSize, examples, options, file, BLOCK);
    }

    /** As above, drawing {@code block} examples at a time (the stream is the same whatever the block). */
    static void write(PromptabilityMixture mixture, int vocabSize, int examples, PretrainOptions options, Path file,
                      int block) {
        long seed = Pretrainer.phaseSeed(options, Objective.MIXTURE);
        int held = options.devExamples();
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            AtomicFiles.write(file, channel -> writeExamples(channel, mixture, vocabSize, examples, held, seed, block));
        } catch (IOException e) {
            throw new PromptTuneException("cannot write the mixture export " + file + ": " + PathProblems.describe(file, e), e);
        }
        JsonObject meta = new JsonObject();
        meta.addProperty("format", "prompttune mixture export v" + VERSION + " (MixtureExport)");
        meta.addProperty("vocab_size", vocabSize);
        meta.addProperty("train_examples", examples);
        meta.addProperty("held_out_examples", held);
        meta.add("options", new GsonBuilder().create().toJsonTree(options.asMap()));
        meta.addProperty("note", "the first mix_steps x batch training examples are the Java build's own");
        Path metaFile = file.resolveSibling(file.getFileName() + ".json");
        try {
            AtomicFiles.write(metaFile, (new GsonBuilder().setPrettyPrinting().create().toJson(meta) + "\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new PromptTuneException("cannot write " + metaFile + ": " + PathProblems.describe(metaFile, e), e);
        }
    }

    /** The file's bytes: header, training examples drawn {@code block} at a time, then the held-out ones. */
    private static void writeExamples(FileChannel channel, PromptabilityMixture mixture, int vocabSize, int examples,
                                      int held, long seed, int block) throws IOException {
        // The channel stays open: AtomicFiles forces and renames it after this returns.
        OutputStream raw = new FilterOutputStream(Channels.newOutputStream(channel)) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new GZIPOutputStream(raw, 1 << 16),
                1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(vocabSize);
            out.writeInt(examples);
            out.writeInt(held);
            SplittableRandom random = new SplittableRandom(seed);
            for (int done = 0; done < examples; done += block) {
                for (Example e : mixture.sample(Math.min(block, examples - done), false, random)) {
                    writeExample(out, e);
                }
            }
            for (Example e : mixture.sample(held, true, new SplittableRandom(Pretrainer.heldOutSeed(seed)))) {
                writeExample(out, e);
            }
        }
    }

    private static void writeExample(DataOutputStream out, Example e) throws IOException {
        out.writeShort(lengthOf(e.input()));
        out.writeShort(lengthOf(e.target()));
        for (long id : e.input()) {
            out.writeShort((int) id);
        }
        for (long id : e.target()) {
            out.writeShort((int) id);
        }
    }

    private static int lengthOf(long[] row) {
        if (row.length > 65_535) {
            throw new PromptTuneException("an example of " + row.length + " tokens does not fit the export (65,535)");
        }
        return row.length;
    }

    /** Reads a file {@link #write} wrote (for tests and checks). */
    public static Examples read(Path file) {
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(raw, 1 << 16)))) {
            if (in.readInt() != MAGIC) {
                throw new PromptTuneException(file + " is not a mixture export (no PTMX magic number)");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new PromptTuneException(file + " is a mixture export of version " + version + "; this reader "
                        + "knows version " + VERSION);
            }
            int vocab = in.readInt();
            int train = in.readInt();
            int held = in.readInt();
            long[][] ti = new long[train][];
            long[][] tt = new long[train][];
            long[][] hi = new long[held][];
            long[][] ht = new long[held][];
            for (int i = 0; i < train + held; i++) {
                long[][] inputs = i < train ? ti : hi;
                long[][] targets = i < train ? tt : ht;
                int row = i < train ? i : i - train;
                int inLen = in.readUnsignedShort();
                int outLen = in.readUnsignedShort();
                inputs[row] = ids(in, inLen);
                targets[row] = ids(in, outLen);
            }
            if (in.read() != -1) {
                throw new PromptTuneException(file + " has bytes after its " + (train + held) + " examples");
            }
            return new Examples(vocab, ti, tt, hi, ht);
        } catch (EOFException e) {
            throw new PromptTuneException(file + " ends before its last example: the file is truncated", e);
        } catch (IOException e) {
            throw new PromptTuneException("cannot read the mixture export " + file + ": " + PathProblems.describe(file, e), e);
        }
    }

    private static long[] ids(DataInputStream in, int n) throws IOException {
        long[] out = new long[n];
        for (int j = 0; j < n; j++) {
            out[j] = in.readUnsignedShort();
        }
        return out;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
