package dev.prompttune.core.spec;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where prompttune's shipped models ({@code models/}) and tasks ({@code data/tasks/}) live: the repository root,
 * given by {@code -Dprompttune.home} (set by {@code bin/prompttune}), {@code PROMPTTUNE_HOME}, or found by walking
 * up from the working directory to a folder that has {@code data/tasks}.
 */
public final class Home {

    private Home() {}

    public static Path get() {
        String configured = System.getProperty("prompttune.home", System.getenv("PROMPTTUNE_HOME"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("data/tasks")) || Files.isDirectory(d.resolve("models"))) {
                return d;
            }
        }
        return dir;
    }

    public static Path models() {
        return get().resolve("models");
    }

    public static Path tasks() {
        return get().resolve("data").resolve("tasks");
    }

    /**
     * Registered names as messages list them; none is explained, since it usually means the home was not found (a
     * program started outside the checkout without {@code -Dprompttune.home}), not that there are none.
     */
    static String listed(java.util.List<String> names, Path folder, String what) {
        if (!names.isEmpty()) {
            return names.toString();
        }
        return "[] (no " + what + " in " + folder + ": the prompttune home is " + get() + "; give the checkout with "
                + "-Dprompttune.home=DIR or PROMPTTUNE_HOME)";
    }
}
