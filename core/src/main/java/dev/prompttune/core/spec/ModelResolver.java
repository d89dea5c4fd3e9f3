package dev.prompttune.core.spec;

import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.PathProblems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns a {@code model} setting into a checkpoint directory: a registered short name (a folder under
 * {@code models/}), a local Hugging Face directory, or a hub id looked up in the local Hugging Face cache
 * ({@code ~/.cache/huggingface/hub/models--ORG--NAME/snapshots/REV}; HF_HUB_CACHE / HF_HOME respected).
 */
public final class ModelResolver {

    /** A Hugging Face hub id of the shape {@code owner/name}. */
    private static final Pattern HUB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*");

    /** Google's original T5 checkpoints, which the hub also serves under their bare names. */
    private static final Pattern GOOGLE_T5 = Pattern.compile("t5-(small|base|large|3b|11b)");

    private ModelResolver() {}

    /** {@link #registered()} as messages list it (see {@link Home#listed}). */
    public static String registeredText() {
        return Home.listed(registered(), Home.models(), "models");
    }

    /** Registered short names (folders under models/ that hold a config.json), sorted. */
    public static List<String> registered() {
        List<String> names = new ArrayList<>();
        Path models = Home.models();
        if (Files.isDirectory(models)) {
            try (Stream<Path> s = Files.list(models)) {
                s.filter(d -> Files.isRegularFile(d.resolve("config.json"))).map(d -> d.getFileName().toString())
                        .sorted().forEach(names::add);
            } catch (IOException e) {
                // an unreadable models/ lists nothing
            }
        }
        return names;
    }

    public static Path resolve(String model) {
        if (model == null || model.isBlank()) {
            throw new PromptTuneException("model is empty; give a registered name " + registeredText()
                    + ", a Hugging Face model directory, or a hub id in the local Hugging Face cache");
        }
        Path registered = Home.models().resolve(model);
        if (!model.contains("/") && Files.isRegularFile(registered.resolve("config.json"))) {
            return registered;
        }
        if (!model.contains("/")) {
            PathProblems.requireReadableFolder(registered, "model directory");
        }
        Path local = Path.of(model);
        if (Files.isDirectory(local)) {
            PathProblems.requireReadableFolder(local, "model directory");
            if (!Files.isRegularFile(local.resolve("config.json"))) {
                throw new PromptTuneException("model directory " + local + " has no config.json: not a Hugging Face model directory");
            }
            return local;
        }
        Path cached = fromHubCache(model);
        if (cached != null) {
            return cached;
        }
        String hubId = hubId(model);
        if (hubId != null) {
            throw new PromptTuneException("model '" + model + "' is neither a registered name " + registeredText()
                    + ", a directory, nor in the local Hugging Face cache (" + hubCache() + "); download it with "
                    + "`huggingface-cli download " + hubId + "` on a machine with network, or pass a directory");
        }
        String allowed = "; allowed: a registered name " + registeredText() + ", a Hugging Face model directory, or a hub id"
                + " (owner/name) in the local Hugging Face cache";
        if (model.contains("/") || model.startsWith(".") || model.startsWith("~")) {
            throw new PromptTuneException("model directory " + local + " " + PathProblems.notDirectory(local) + allowed);
        }
        throw new PromptTuneException("model '" + model + "' is not a registered name, and no directory " + local
                + " exists" + allowed);
    }

    /** The hub id {@code model} plausibly names (to suggest downloading it), or null for what is no hub id. */
    private static String hubId(String model) {
        if (HUB_ID.matcher(model).matches() && !model.contains("..")) {
            return model;
        }
        return GOOGLE_T5.matcher(model).matches() ? "google-t5/" + model : null;
    }

    static Path hubCache() {
        String cache = System.getenv("HF_HUB_CACHE");
        if (cache != null) {
            return Path.of(cache);
        }
        // As huggingface_hub finds it: $HF_HOME, else $XDG_CACHE_HOME/huggingface, else ~/.cache/huggingface, where ~
        // is $HOME (Python's expanduser), not Java's user.home (the password file's entry).
        String home = System.getenv("HF_HOME");
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = home != null ? Path.of(home)
                : xdg != null && !xdg.isBlank() ? Path.of(xdg, "huggingface")
                : dev.prompttune.core.model.UserHome.asPythonSeesIt().resolve(".cache").resolve("huggingface");
        return base.resolve("hub");
    }

    /** The newest snapshot of {@code models--ORG--NAME} that has a config.json (hub ids without org try google-t5). */
    static Path fromHubCache(String model) {
        List<String> ids = model.contains("/") ? List.of(model) : List.of(model, "google-t5/" + model, "google/" + model);
        for (String id : ids) {
            Path snapshots = hubCache().resolve("models--" + id.replace("/", "--")).resolve("snapshots");
            if (!Files.isDirectory(snapshots)) {
                continue;
            }
            try (Stream<Path> s = Files.list(snapshots)) {
                Path best = s.filter(d -> Files.isRegularFile(d.resolve("config.json")))
                        .max((a, b) -> Long.compare(a.toFile().lastModified(), b.toFile().lastModified())).orElse(null);
                if (best != null) {
                    return best;
                }
            } catch (IOException e) {
                // try the next id
            }
        }
        return null;
    }
}
