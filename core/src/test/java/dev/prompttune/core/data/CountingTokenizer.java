package dev.prompttune.core.data;

import dev.prompttune.core.text.T5Tokenizer;

/** A tokenizer that counts {@link #encode(String, boolean)} calls; closing it does not close the delegate. */
final class CountingTokenizer implements T5Tokenizer {

    private final T5Tokenizer delegate;
    int encodes;

    CountingTokenizer(T5Tokenizer delegate) {
        this.delegate = delegate;
    }

    @Override
    public long[] encode(String text, boolean addEos) {
        encodes++;
        return delegate.encode(text, addEos);
    }

    @Override
    public String decode(long[] ids, boolean skipSpecial) {
        return delegate.decode(ids, skipSpecial);
    }

    @Override
    public int vocabSize() {
        return delegate.vocabSize();
    }

    @Override
    public long padId() {
        return delegate.padId();
    }

    @Override
    public long eosId() {
        return delegate.eosId();
    }

    @Override
    public long unkId() {
        return delegate.unkId();
    }

    @Override
    public long sentinelId(int n) {
        return delegate.sentinelId(n);
    }

    @Override
    public int sentinelCount() {
        return delegate.sentinelCount();
    }

    @Override
    public String idToToken(long id) {
        return delegate.idToToken(id);
    }

    @Override
    public long tokenToId(String token) {
        return delegate.tokenToId(token);
    }

    @Override
    public void close() {}
}
