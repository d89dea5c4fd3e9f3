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

    /** One line: what {@code %prompttune_version} prints. */
    public static String describe() {
        return "prompttune " + prompttune() + " (Java " + java() + ", jjava-jupyter " + jjava() + ")";
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
