package dev.prompttune.core.prompt;

import dev.prompttune.core.text.T5Tokenizer;
import java.util.Arrays;
import java.util.Map;

/** A test tokenizer with a fixed word → ids table (a word may be several ids), eos 1. */
final class WordTokenizer implements T5Tokenizer {

    private final Map<String, long[]> table;

    WordTokenizer(Map<String, long[]> table) {
        this.table = table;
    }

    @Override
    public long[] encode(String text, boolean addEos) {
        long[] out = new long[0];
        for (String w : text.trim().split("\\s+")) {
            if (w.isEmpty()) {
                continue;
            }
            long[] ids = table.getOrDefault(w, new long[] {2});
            long[] grown = Arrays.copyOf(out, out.length + ids.length);
            System.arraycopy(ids, 0, grown, out.length, ids.length);
            out = grown;
        }
        if (addEos) {
            out = Arrays.copyOf(out, out.length + 1);
            out[out.length - 1] = 1;
        }
        return out;
    }

    @Override
    public String decode(long[] ids, boolean skipSpecial) {
        return Arrays.toString(ids);
    }

    @Override
    public int vocabSize() {
        return 6000;
    }

    @Override
    public long padId() {
        return 0;
    }

    @Override
    public long eosId() {
        return 1;
    }

    @Override
    public long unkId() {
        return 2;
    }

    @Override
    public long sentinelId(int n) {
        return vocabSize() - 1 - n;
    }

    @Override
    public int sentinelCount() {
        return 0;
    }

    @Override
    public String idToToken(long id) {
        return "#" + id;
    }

    @Override
    public long tokenToId(String token) {
        return 2;
    }

    @Override
    public void close() {}
}
