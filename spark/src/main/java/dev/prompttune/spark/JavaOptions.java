package dev.prompttune.spark;

import dev.prompttune.core.PromptTuneException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The JVM flags Spark 4 needs on Java 17 (Spark's own {@code JavaModuleOptions}): one per line in
 * {@code java17-options.txt} beside this class, which bin/prompttune, the kernel installer and this module's tests
 * read too. Spark fails deep inside its start without them; {@link #check} says so first, in one line.
 */
final class JavaOptions {

    static final String RESOURCE = "java17-options.txt";

    private JavaOptions() {}

    /** The flags, in order. */
    static List<String> flags() {
        try (InputStream in = JavaOptions.class.getResourceAsStream(RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails when this JVM was started without the flags (checked on the packages Spark's start reaches into). */
    static void check(String master) {
        Module base = Object.class.getModule();
        Module us = JavaOptions.class.getModule();
        for (String pkg : List.of("java.nio", "sun.nio.ch", "java.lang", "java.util")) {
            if (!base.isOpen(pkg, us)) {
                throw new PromptTuneException("cluster '" + master + "': Spark on Java 17 needs JVM flags this JVM was "
                        + "started without (--add-opens=java.base/" + pkg + "=ALL-UNNAMED and others); allowed: start it "
                        + "through bin/prompttune or the prompttune kernel (they pass them), or add: " + String.join(" ", flags()));
            }
        }
    }
}
