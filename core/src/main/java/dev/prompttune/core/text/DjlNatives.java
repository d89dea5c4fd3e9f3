package dev.prompttune.core.text;

/**
 * Keeps DJL's tokenizer natives on what the jars bundle, so that loading never reaches for the network.
 *
 * <p>DJL's Hugging Face tokenizers binding picks a CUDA build of its native library when it sees a GPU and is not
 * in offline mode; that build is not in the jar and would be downloaded from DJL's server. Tokenizing gains nothing
 * from a GPU, so unless the user chose a flavour ({@code RUST_FLAVOR} in the environment or as a system property),
 * the bundled CPU build is used. The sentencepiece binding always uses its bundled library.
 */
final class DjlNatives {

    private static final String RUST_FLAVOR = "RUST_FLAVOR";

    private DjlNatives() {}

    /** Must run before DJL's tokenizers {@code LibUtils} class is initialised (it reads the flavour once). */
    static synchronized void preferBundledTokenizers() {
        if (System.getenv(RUST_FLAVOR) == null && System.getProperty(RUST_FLAVOR) == null) {
            System.setProperty(RUST_FLAVOR, "cpu");
        }
    }
}
