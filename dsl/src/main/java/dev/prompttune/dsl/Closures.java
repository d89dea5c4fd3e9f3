package dev.prompttune.dsl;

import groovy.lang.Closure;

/** The one place a block's closure is pointed at its spec object (DELEGATE_ONLY: keywords resolve there and only there). */
final class Closures {

    private Closures() {}

    /** Runs {@code block} with {@code delegate} as its only receiver of keywords. */
    static void apply(Closure<?> block, Object delegate) {
        Closure<?> c = block.rehydrate(delegate, block.getOwner(), block.getThisObject());
        c.setResolveStrategy(Closure.DELEGATE_ONLY);
        c.call();
    }
}
