package dev.prompttune.core.promptfile;

import ai.djl.engine.Engine;
import java.util.LinkedHashMap;
import java.util.Map;

/** Versions recorded with a saved prompt: prompttune, DJL and the engine (PyTorch). */
public final class LibraryVersions {

    /** prompttune's version when the jar manifest does not say. */
    public static final String PROMPTTUNE = "0.1.0";

    private LibraryVersions() {}

    /** {@code {prompttune, djl, pytorch}}; starts the DJL engine if it is not running yet. */
    public static Map<String, String> current() {
        Map<String, String> v = new LinkedHashMap<>();
        String own = LibraryVersions.class.getPackage().getImplementationVersion();
        v.put("prompttune", own != null ? own : PROMPTTUNE);
        v.put("djl", Engine.getDjlVersion());
        Engine engine = Engine.getInstance();
        v.put(engine.getEngineName().toLowerCase(java.util.Locale.ROOT), engine.getVersion());
        return v;
    }
}
