package dev.prompttune.kernel.magics;

/** A magic used wrongly: the message names the magic, what was wrong, and its usage. No stack trace needed. */
public class MagicError extends RuntimeException {

    public MagicError(String message) {
        super(message, null, false, false);
    }
}
