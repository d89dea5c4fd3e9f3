package dev.prompttune.core.promptfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.peft.PeftAdapter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A prompt tensor too big for one Java array (2^31 rows or more, or rows × width beyond it) is refused in one line naming
 * the file, its shape and what is allowed, by every reader: it failed with an integer overflow's stack trace, with
 * advice for programmers, or with a negative submodule count. The files are sparse: valid headers, holes for data.
 */
class HugePromptFileTest {

    @TempDir
    Path tmp;

    /** A safetensors file holding one F16 tensor of {@code shape} whose data is a hole (no disk space used). */
    private static Path sparse(Path file, long... shape) throws IOException {
        long numel = 1;
        for (long d : shape) {
            numel *= d;
        }
        long bytes = numel * 2;
        String dims = java.util.Arrays.toString(shape);
        byte[] json = ("{\"" + PromptFile.TENSOR + "\": {\"dtype\": \"F16\", \"shape\": " + dims + ", \"data_offsets\": [0, "
                + bytes + "]}}").getBytes(StandardCharsets.UTF_8);
        Files.createDirectories(file.getParent());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8 + json.length).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).put(json).flip());
            ch.write(ByteBuffer.allocate(2), 8 + json.length + bytes - 2);
        }
        return file;
    }

    @Test
    void aPromptFileOfTwoToThe31RowsIsRefusedInOneLine() throws IOException {
        Path file = sparse(tmp.resolve("rows.safetensors"), 1L << 31, 1);
        assertEquals("prompt file " + file + ": 'prompt_embeddings' has shape [2147483648, 1], 2147483648 values; allowed: "
                + "a float tensor [p, H] of at most 2147483639 values (p × H)",
                assertThrows(PromptTuneException.class, () -> PromptFile.load(file)).getMessage());
    }

    @Test
    void aPromptFileOfMoreValuesThanAnArrayHoldsNamesTheAllowedSize() throws IOException {
        Path file = sparse(tmp.resolve("wide.safetensors"), 10_000_000, 256);
        assertEquals("prompt file " + file + ": 'prompt_embeddings' has shape [10000000, 256], 2560000000 values; allowed: "
                + "a float tensor [p, H] of at most 2147483639 values (p × H)",
                assertThrows(PromptTuneException.class, () -> PromptFile.load(file)).getMessage());
    }

    /** One virtual token and no num_transformer_submodules: the submodule count inferred from 2^31 rows was -2^31. */
    @Test
    void anAdapterOfTwoToThe31RowsIsRefusedNamingItsShape() throws IOException {
        Path dir = tmp.resolve("adapter");
        Path weights = sparse(dir.resolve(PeftAdapter.WEIGHTS), 1L << 31, 1);
        Files.writeString(dir.resolve(PeftAdapter.CONFIG), "{\"peft_type\": \"PROMPT_TUNING\", \"task_type\": \"SEQ_2_SEQ_LM\", "
                + "\"num_virtual_tokens\": 1, \"token_dim\": 1}");
        assertEquals(weights + ": 'prompt_embeddings' has shape [2147483648, 1], 2147483648 values; allowed: a float tensor "
                + "[p, H] of at most 2147483639 values (p × H)",
                assertThrows(PromptTuneException.class, () -> PeftAdapter.importFrom(dir)).getMessage());
    }
}
