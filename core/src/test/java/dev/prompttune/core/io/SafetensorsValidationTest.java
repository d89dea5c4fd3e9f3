package dev.prompttune.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.testing.Fixtures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every broken file fails at open with one line naming the file and the problem. */
class SafetensorsValidationTest {

    @TempDir
    Path dir;

    /** A file with the given header length field, header text and {@code dataBytes} zero bytes of data. */
    private Path raw(String name, long headerLength, String header, int dataBytes) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(headerLength).put(json);
        Path file = dir.resolve(name);
        Files.write(file, b.array());
        return file;
    }

    private Path raw(String name, String header, int dataBytes) throws IOException {
        return raw(name, header.getBytes(StandardCharsets.UTF_8).length, header, dataBytes);
    }

    /** Opens {@code file}, expects failure, checks the message names the file and contains {@code problem}. */
    private static String fails(Path file, String problem) {
        PromptTuneException e = assertThrows(PromptTuneException.class, () -> SafetensorsFile.open(file));
        String m = e.getMessage();
        assertTrue(m.contains(file.getFileName().toString()), "names the file: " + m);
        assertTrue(m.contains(problem), "says '" + problem + "': " + m);
        assertTrue(!m.contains("\n"), "one line: " + m);
        return m;
    }

    @Test
    void bytesThatBelongToNoTensorAreRefused() throws IOException {
        // 16 data bytes, a [2] F32 tensor at 8..16: bytes 0..8 are nobody's.
        fails(raw("gap.safetensors", "{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", 16),
                "data bytes 0 to 8 belong to no tensor (the next, 't', starts at 8)");
        fails(raw("gap2.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", 12), "data bytes 4 to 8 belong to no tensor");
    }

    @Test
    void aHeaderThatIsNotUtf8IsRefused() throws IOException {
        String header = "{\"__metadata__\":{\"note\":\"XX\"},\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        int at = header.indexOf("XX");
        json[at] = (byte) 0xC3; // a lead byte followed by an ASCII byte: not UTF-8
        json[at + 1] = (byte) 0x28;
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json);
        Path file = dir.resolve("latin.safetensors");
        Files.write(file, b.array());
        fails(file, "the header is not UTF-8 text; allowed: a UTF-8 JSON header");
    }

    @Test
    void tinyFile() throws IOException {
        Path file = dir.resolve("tiny.safetensors");
        Files.write(file, new byte[] {1, 2, 3});
        fails(file, "3 bytes, shorter than the 8-byte header length");
    }

    @Test
    void missingFile() {
        fails(dir.resolve("absent.safetensors"), "file not found");
    }

    @Test
    void hugeHeaderLengthIsCheckedBeforeAllocating() throws IOException {
        fails(raw("huge.safetensors", 1L << 62, "{}", 0), "header length 4611686018427387904 is larger than the file");
        // >= 2^63: negative as a Java long, reported unsigned
        fails(raw("huger.safetensors", -2L, "{}", 0), "header length 18446744073709551614 is larger than the file");
    }

    @Test
    void truncatedCopyOfRealFile() throws IOException {
        byte[] real = Files.readAllBytes(Fixtures.dir("tiny-t5-v1_1").resolve("model.safetensors"));
        Path cut = dir.resolve("cut.safetensors");
        Files.write(cut, Arrays.copyOf(real, real.length - 100));
        fails(cut, "truncated");
        Path cutInHeader = dir.resolve("cut-header.safetensors");
        Files.write(cutInHeader, Arrays.copyOf(real, 100));
        fails(cutInHeader, "larger than the file");
    }

    @Test
    void notJson() throws IOException {
        fails(raw("garbage.safetensors", "this is not json", 0), "header is not valid JSON");
        fails(raw("half.safetensors", "{\"a\": {\"dtype\": \"F32\"", 0), "header is not valid JSON");
        fails(raw("trailing.safetensors", "{} x", 0), "header is not valid JSON");
        fails(raw("array.safetensors", "[1, 2]", 0), "header is not a JSON object");
        Path half = dir.resolve("half.safetensors");
        assertEquals(half + ": header is not valid JSON (line 1, column 22: the text ends mid-value)",
                fails(half, "header is not valid JSON"));
    }

    @Test
    void tensorNamedTwice() throws IOException {
        String t = "{\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}";
        String u = "{\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}";
        Path same = raw("same.safetensors", "{\"p\": " + t + ", \"p\": " + t + "}", 8);
        assertEquals(same + ": tensor 'p' appears twice in the header; allowed: each tensor name once",
                fails(same, "appears twice"));
        Path conflict = raw("conflict.safetensors", "{\"p\": " + t + ", \"q\": " + u + ", \"p\": " + u + "}", 8);
        fails(conflict, "tensor 'p' appears twice in the header");
        Path inMetadata = raw("meta.safetensors", "{\"__metadata__\": {\"a\": \"1\", \"a\": \"2\"}}", 0);
        fails(inMetadata, "key \"a\" appears twice");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dtype", "shape", "data_offsets"})
    void missingField(String field) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("dtype", "\"F32\"");
        fields.put("shape", "[2]");
        fields.put("data_offsets", "[0, 8]");
        fields.remove(field);
        StringJoiner entry = new StringJoiner(", ");
        fields.forEach((k, v) -> entry.add("\"" + k + "\": " + v));
        fails(raw("no-" + field + ".safetensors", "{\"w\": {" + entry + "}}", 8), "tensor 'w' has no " + field);
    }

    @ParameterizedTest
    @ValueSource(strings = {"F8_E4M3", "C64"})
    void unsupportedDtype(String dtype) throws IOException {
        String m = fails(raw("dtype.safetensors",
                "{\"w\": {\"dtype\": \"" + dtype + "\", \"shape\": [2], \"data_offsets\": [0, 8]}}", 8),
                "tensor 'w' has unsupported dtype " + dtype);
        assertTrue(m.contains("supported: F64, F32, F16, BF16, I64"), m);
    }

    @Test
    void offsetsPastEnd() throws IOException {
        fails(raw("short.safetensors", "{\"w\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16]}}", 8),
                "truncated: tensor 'w' data ends at byte 16 of the data section, but the file holds only 8");
    }

    @Test
    void beginAfterEnd() throws IOException {
        fails(raw("reversed.safetensors", "{\"w\": {\"dtype\": \"F32\", \"shape\": [0], \"data_offsets\": [8, 0]}}",
                8), "tensor 'w' data_offsets begin 8 > end 0");
    }

    @Test
    void lengthDoesNotMatchShape() throws IOException {
        fails(raw("length.safetensors", "{\"w\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [0, 8]}}",
                8), "tensor 'w' has 8 data bytes, but shape [3] of F32 needs 12");
    }

    @Test
    void overlappingTensors() throws IOException {
        fails(raw("overlap.safetensors", "{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]},"
                + " \"b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [4, 12]}}", 12),
                "tensors 'a' and 'b' have overlapping data_offsets");
    }

    @Test
    void badShapeValues() throws IOException {
        fails(raw("negative.safetensors", "{\"w\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 0]}}",
                0), "shape must be an array of non-negative integers");
        fails(raw("overflow.safetensors", "{\"w\": {\"dtype\": \"F32\", \"shape\": [4294967296, 4294967296],"
                + " \"data_offsets\": [0, 0]}}", 0), "is too large");
        for (String five : new String[] {"5.0", "5e0", "5.5"}) {
            fails(raw("float-shape.safetensors", "{\"w\": {\"dtype\": \"F32\", \"shape\": [" + five + "], \"data_offsets\": [0, 20]}}",
                    20), "shape must be an array of non-negative integers, got [" + five + "]");
        }
    }
}
