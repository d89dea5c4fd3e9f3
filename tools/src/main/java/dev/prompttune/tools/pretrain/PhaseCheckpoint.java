package dev.prompttune.tools.pretrain;

import com.google.gson.Gson;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.PathProblems;
import dev.prompttune.core.model.T5Model;
import dev.prompttune.core.promptfile.EmbeddingFingerprint;
import dev.prompttune.core.run.RunCheckpoint;
import dev.prompttune.core.train.TokenizedTask;
import dev.prompttune.core.train.Trainable;
import dev.prompttune.core.train.TrainerState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A phase's resumable state, {@code OUT/NAME.resume/checkpoint.safetensors}: the trainer's whole state (every weight
 * now, at the best held-out evaluation and at the last finite step; the optimizer's state; the step; every loss and
 * held-out loss) plus the phase's log lines so far, in one atomically written file ({@link RunCheckpoint}). Written at
 * every held-out evaluation and when Ctrl-C stops the phase; removed when the phase is saved. The data position is
 * the step (the phase's examples are drawn up front from its seed), and dropout masks follow from (seed, step), so a
 * resumed phase continues exactly as the uninterrupted one would have.
 *
 * <p>A checkpoint is only resumed by the build it belongs to: the same recipe and phase, the same starting weights
 * and the same examples (each checked by fingerprint; a mismatch is one line naming both).
 */
final class PhaseCheckpoint {

    private static final Gson GSON = new Gson();

    private final Path dir;
    private final RunCheckpoint.Identity identity;
    private final List<long[]> shapes;

    private PhaseCheckpoint(Path dir, RunCheckpoint.Identity identity, List<long[]> shapes) {
        this.dir = dir;
        this.identity = identity;
        this.shapes = shapes;
    }

    /**
     * The checkpoint of phase {@code name}, identified by its recipe, its starting weights (call this before the first
     * step) and its examples.
     *
     * @param recipe everything that determines the phase's run (options, phase, steps, learning rate)
     */
    static PhaseCheckpoint of(Path out, String name, Map<String, Object> recipe, T5Model model, Trainable trainable,
                              TokenizedTask train, TokenizedTask held) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("train", fingerprint(train));
        data.put("held_out", fingerprint(held));
        RunCheckpoint.Identity identity = RunCheckpoint.Identity.of(GSON.toJsonTree(recipe).getAsJsonObject(),
                EmbeddingFingerprint.of(model.embeddingTable()), data);
        List<long[]> shapes = trainable.parameters().stream().map(p -> p.getShape().getShape()).toList();
        return new PhaseCheckpoint(out.resolve(name + ".resume"), identity, shapes);
    }

    Path dir() {
        return dir;
    }

    /**
     * The state to continue from, or null to start at step 0 (no checkpoint). Without {@code resume}, an existing
     * checkpoint is refused rather than overwritten: it may hold hours of training.
     */
    TrainerState load(boolean resume) {
        if (!RunCheckpoint.exists(dir)) {
            if (resume) {
                System.out.println("resume: no checkpoint in " + dir + "; this phase starts at step 0");
            }
            return null;
        }
        if (!resume) {
            throw new PromptTuneException(dir.resolve(RunCheckpoint.FILE) + " holds this phase's checkpoint from an "
                    + "interrupted build; allowed: --resume true to continue it, or delete " + dir + " to start over");
        }
        TrainerState state = RunCheckpoint.read(dir, identity, shapes);
        System.out.println("resume: continuing from step " + state.step() + " (" + dir + ")");
        return state;
    }

    /** The log lines and elapsed seconds saved with the state {@link #load} returned. */
    Map<String, String> notes() {
        return RunCheckpoint.notes(dir);
    }

    void save(TrainerState state, PretrainLog log) {
        RunCheckpoint.write(dir, state, shapes, identity, log.notes());
    }

    /** After the phase is saved: the checkpoint and its folder go. */
    void remove() {
        RunCheckpoint.remove(dir);
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            System.out.println("resume: could not remove " + dir + " (" + PathProblems.describe(dir, e) + ")");
        }
    }

    /** {@code sha256:HEX} of every example's input and target ids, in order, with their lengths. */
    static String fingerprint(TokenizedTask task) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            ByteBuffer buffer = ByteBuffer.allocate(8);
            for (int i = 0; i < task.size(); i++) {
                for (long[] ids : new long[][] {task.inputs()[i], task.targets()[i]}) {
                    digest.update(buffer.clear().putLong(ids.length).array());
                    for (long id : ids) {
                        digest.update(buffer.clear().putLong(id).array());
                    }
                }
            }
            return "sha256:" + HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
