package dev.prompttune.core.data;

import dev.prompttune.core.text.T5Tokenizer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Tokenized splits kept by (split fingerprint, tokenizer identity, template, verbalizer, maximum lengths), so a
 * second request with the same key returns the same {@link TokenizedSplit} without tokenizing again. Least recently
 * used entries beyond the capacity are dropped. Thread-safe (tokenization itself runs under the cache's lock, as
 * tokenizers are not thread-safe).
 *
 * <p>The tokenizer's identity is its class and a SHA-256 of its vocabulary (every {@code idToToken}) and special
 * ids, computed once per tokenizer instance: two loads of the same tokenizer share entries.
 */
public final class TokenizationCache {

    /** Entries kept by {@link #shared()}. */
    public static final int DEFAULT_CAPACITY = 16;

    private static final TokenizationCache SHARED = new TokenizationCache(DEFAULT_CAPACITY);

    private final int capacity;
    private final Map<Key, TokenizedSplit> entries;
    private final Map<T5Tokenizer, String> identities = new WeakHashMap<>();
    private long hits;
    private long misses;

    /** What a tokenized split depends on (the name only labels it). */
    private record Key(String name, String split, String tokenizer, Template template, Verbalizer verbalizer,
            int maxInput, int maxTarget) {}

    public TokenizationCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, TokenizedSplit> eldest) {
                return size() > TokenizationCache.this.capacity;
            }
        };
    }

    /** The process-wide cache. */
    public static TokenizationCache shared() {
        return SHARED;
    }

    /** {@code split} tokenized (see {@link TokenizedSplit#tokenize}), from the cache when the key is known. */
    public synchronized TokenizedSplit get(Split split, Template template, Verbalizer verbalizer,
            T5Tokenizer tokenizer, int maxInputLength, int maxTargetLength) {
        Key key = new Key(split.name(), split.fingerprint(), identity(tokenizer), template, verbalizer,
                maxInputLength, maxTargetLength);
        TokenizedSplit cached = entries.get(key);
        if (cached != null) {
            hits++;
            return cached;
        }
        misses++;
        TokenizedSplit fresh = TokenizedSplit.tokenize(split, template, verbalizer, tokenizer, maxInputLength,
                maxTargetLength);
        entries.put(key, fresh);
        return fresh;
    }

    /** Requests answered from the cache. */
    public synchronized long hits() {
        return hits;
    }

    /** Requests that tokenized. */
    public synchronized long misses() {
        return misses;
    }

    public synchronized int size() {
        return entries.size();
    }

    public synchronized void clear() {
        entries.clear();
    }

    /** The identity of {@code tokenizer}: its class name and a SHA-256 of its vocabulary and special ids. */
    public synchronized String identity(T5Tokenizer tokenizer) {
        return identities.computeIfAbsent(tokenizer, TokenizationCache::computeIdentity);
    }

    private static String computeIdentity(T5Tokenizer tokenizer) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String header = tokenizer.vocabSize() + "/" + tokenizer.padId() + "/" + tokenizer.eosId() + "/"
                + tokenizer.unkId() + "/" + tokenizer.sentinelCount() + "\n";
        sha.update(header.getBytes(StandardCharsets.UTF_8));
        for (int id = 0; id < tokenizer.vocabSize(); id++) {
            sha.update(tokenizer.idToToken(id).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
        }
        return tokenizer.getClass().getName() + "@" + HexFormat.of().formatHex(sha.digest(), 0, 12);
    }
}
