package dev.prompttune.core.run;

import dev.prompttune.core.prompt.Placement;
import dev.prompttune.core.spec.ClusterSpec;
import dev.prompttune.core.train.TokenizedTask;
import dev.prompttune.core.train.Trainable;
import dev.prompttune.core.train.TrainingLoss;
import java.nio.file.Path;

/**
 * What a cluster backend needs to compute a prompt-tuning run's steps: where each executor loads the frozen model
 * (a directory every executor can read, checked against the driver's embedding fingerprint), the prompt's shape and
 * placement, the training split, and the micro-batch settings of {@link dev.prompttune.core.train.StepGradients}.
 *
 * @param name the run's name (the cluster job group and description)
 * @param model the model directory, as the driver resolved it
 * @param precision fp32 or fp16
 * @param device the spec's device (auto, cpu, gpu), resolved on each executor
 * @param fingerprint the driver's model's embedding fingerprint
 *                    ({@link dev.prompttune.core.promptfile.EmbeddingFingerprint})
 * @param trainable the driver's trainable prompt: its current values are what each step broadcasts
 * @param length prompt length p
 * @param width model width H
 * @param reparamBottleneck the residual reparameterisation's bottleneck, 0 for a plain prompt (the trainable's
 *                          snapshot is then [P] alone, else [P, MLP arrays…])
 * @param seed the run's seed (mask seeds)
 * @param dropout the training dropout rate, resolved
 * @param loss what each micro-batch minimises (the classes loss reads {@code train}'s classes)
 * @param gradientAccumulation micro-batches per worker per step
 */
public record ClusterTraining(ClusterSpec cluster, String name, Path model, String precision, String device,
                              String fingerprint, Trainable trainable, int length, int width, int reparamBottleneck, Placement placement,
                              TokenizedTask train, long seed, float dropout, TrainingLoss loss,
                              int gradientAccumulation) {}
