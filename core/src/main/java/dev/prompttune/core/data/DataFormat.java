package dev.prompttune.core.data;

import dev.prompttune.core.PromptTuneException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The data file formats {@link ExampleReader} reads, with the file extensions that select them. */
public enum DataFormat {
    /** One JSON object per line ({@code .jsonl}, {@code .json}, {@code .ndjson}). */
    JSONL(".jsonl", ".json", ".ndjson"),
    /** RFC 4180 comma-separated values with a header row ({@code .csv}). */
    CSV(".csv"),
    /** Tab-separated values with a header row, no quoting ({@code .tsv}, {@code .tab}). */
    TSV(".tsv", ".tab");

    private final List<String> extensions;

    DataFormat(String... extensions) {
        this.extensions = List.of(extensions);
    }

    /** The extensions (with the dot, lower case) that select this format. */
    public List<String> extensions() {
        return extensions;
    }

    /**
     * The format of {@code file} by its extension (case-insensitive).
     *
     * @throws PromptTuneException naming the file and the allowed extensions
     */
    public static DataFormat of(Path file) {
        Path name = file.getFileName();
        String lower = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
        for (DataFormat f : values()) {
            for (String ext : f.extensions) {
                if (lower.endsWith(ext)) {
                    return f;
                }
            }
        }
        int dot = lower.lastIndexOf('.');
        String ext = dot < 0 ? "no extension" : "extension '" + lower.substring(dot) + "'";
        throw new PromptTuneException(file + ": unknown data file " + ext + "; allowed: " + allExtensions()
                + " (or name the format: " + names() + ")");
    }

    /**
     * The format named {@code name} (case-insensitive, e.g. {@code "csv"}; {@code "json"} means JSONL).
     *
     * @throws PromptTuneException naming the bad value and the allowed ones
     */
    public static DataFormat named(String name) {
        String upper = name.trim().toUpperCase(Locale.ROOT);
        if (upper.equals("JSON") || upper.equals("NDJSON")) {
            return JSONL;
        }
        for (DataFormat f : values()) {
            if (f.name().equals(upper)) {
                return f;
            }
        }
        throw new PromptTuneException("unknown data format '" + name + "'; allowed: " + names());
    }

    private static String allExtensions() {
        return Arrays.stream(values()).flatMap(f -> f.extensions.stream()).collect(Collectors.joining(", "));
    }

    private static String names() {
        return Arrays.stream(values()).map(f -> f.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
    }
}
