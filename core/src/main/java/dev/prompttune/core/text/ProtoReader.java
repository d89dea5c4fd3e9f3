package dev.prompttune.core.text;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A minimal reader for the protobuf wire format, enough to read a sentencepiece {@code ModelProto} without the
 * protobuf library. Every malformed input (truncated varint or field, bad wire type, invalid UTF-8) throws
 * {@link IllegalArgumentException} with a short reason.
 */
final class ProtoReader {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int START_GROUP = 3;
    static final int END_GROUP = 4;
    static final int FIXED32 = 5;

    private final byte[] buf;
    private int pos;
    private final int end;

    ProtoReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    private ProtoReader(byte[] buf, int start, int end) {
        this.buf = buf;
        this.pos = start;
        this.end = end;
    }

    boolean hasMore() {
        return pos < end;
    }

    /** Reads a field key; the field number is {@code key >>> 3}, the wire type {@code key & 7}. */
    int readTag() {
        long key = readVarint();
        int field = (int) (key >>> 3);
        int wireType = (int) (key & 7);
        if (field <= 0 || key >>> 3 > 0x1FFFFFFFL) {
            throw new IllegalArgumentException("bad field number " + (key >>> 3) + " at byte " + pos);
        }
        if (wireType > FIXED32) {
            throw new IllegalArgumentException("bad wire type " + wireType + " at byte " + pos);
        }
        return (int) key;
    }

    long readVarint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw new IllegalArgumentException("truncated varint at byte " + pos);
            }
            byte b = buf[pos++];
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new IllegalArgumentException("varint longer than 10 bytes at byte " + pos);
    }

    /** An {@code int32} field (negative values are written as 10-byte varints). */
    int readInt32() {
        return (int) readVarint();
    }

    boolean readBool() {
        return readVarint() != 0;
    }

    float readFloat() {
        return Float.intBitsToFloat(readFixed32());
    }

    int readFixed32() {
        need(4);
        int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8 | (buf[pos + 2] & 0xFF) << 16 | (buf[pos + 3] & 0xFF) << 24;
        pos += 4;
        return v;
    }

    byte[] readBytes() {
        int len = readLength();
        byte[] out = new byte[len];
        System.arraycopy(buf, pos, out, 0, len);
        pos += len;
        return out;
    }

    String readString() {
        int len = readLength();
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buf, pos, len))
                    .toString();
            pos += len;
            return s;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("string field at byte " + pos + " is not valid UTF-8");
        }
    }

    /** A reader over an embedded message; this reader moves past it. */
    ProtoReader readMessage() {
        int len = readLength();
        ProtoReader sub = new ProtoReader(buf, pos, pos + len);
        pos += len;
        return sub;
    }

    /** Skips the value of a field whose key was just read. */
    void skip(int tag) {
        switch (tag & 7) {
            case VARINT -> readVarint();
            case FIXED64 -> {
                need(8);
                pos += 8;
            }
            case LENGTH_DELIMITED -> {
                int len = readLength(); // not `pos += readLength()`: that adds to the old pos
                pos += len;
            }
            case FIXED32 -> {
                need(4);
                pos += 4;
            }
            case START_GROUP -> {
                int field = tag >>> 3;
                while (true) {
                    if (!hasMore()) {
                        throw new IllegalArgumentException("unterminated group " + field);
                    }
                    int inner = readTag();
                    if ((inner & 7) == END_GROUP) {
                        if (inner >>> 3 != field) {
                            throw new IllegalArgumentException("mismatched end of group " + field);
                        }
                        return;
                    }
                    skip(inner);
                }
            }
            default -> throw new IllegalArgumentException("unexpected end of group at byte " + pos);
        }
    }

    private int readLength() {
        long len = readVarint();
        if (len < 0 || len > end - pos) {
            throw new IllegalArgumentException("field length " + len + " at byte " + pos + " runs past the end ("
                    + (end - pos) + " bytes left)");
        }
        return (int) len;
    }

    private void need(int n) {
        if (end - pos < n) {
            throw new IllegalArgumentException("truncated field at byte " + pos);
        }
    }
}
