package dev.prompttune.core.io;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The safetensors dtypes prompttune reads, with their element size. Names are exactly as in the file header. */
enum Dtype {
    F64(8, true),
    F32(4, true),
    F16(2, true),
    BF16(2, true),
    I64(8, false),
    I32(4, false),
    I16(2, false),
    I8(1, false),
    U8(1, false),
    BOOL(1, false);

    final int size;
    final boolean floating;

    Dtype(int size, boolean floating) {
        this.size = size;
        this.floating = floating;
    }

    /** The dtype named {@code name} in a header, or {@code null} if prompttune does not read it. */
    static Dtype parse(String name) {
        for (Dtype d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    /** "F64, F32, ..." for error messages. */
    static String supported() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
