package dev.prompttune.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Versions baked in at build time (filtered kernel.properties). */
public final class KernelVersion {

    private static final Properties PROPS = load();

    private KernelVersion() {
    }

    public static String prompttune() {
        return PROPS.getProperty("version", "unknown");
    }

    public static String jjava() {
        return PROPS.getProperty("jjava.version", "unknown");
    }

    public static String java() {
        return System.getProperty("java.version");
    }

    /** One line: what {@code %prompttune_version} prints (loads the engine to read PyTorch's version). */
    public static String describe() {
        return "prompttune " + prompttune() + " (Java " + java() + ", jjava-jupyter " + jjava() + ", DJL " + djl()
                + ", PyTorch " + pytorch() + ")";
    }

    public static String djl() {
        try {
            return ai.djl.engine.Engine.getDjlVersion();
        } catch (RuntimeException | LinkageError e) {
            return "unknown";
        }
    }

    /** The PyTorch engine's version and device (e.g. {@code 2.7.1 cpu}). */
    public static String pytorch() {
        try {
            ai.djl.engine.Engine e = ai.djl.engine.Engine.getEngine("PyTorch");
            return e.getVersion() + " " + e.defaultDevice().getDeviceType();
        } catch (RuntimeException | LinkageError e) {
            return "unavailable (" + e.getMessage() + ")";
        }
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = KernelVersion.class.getResourceAsStream("kernel.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
