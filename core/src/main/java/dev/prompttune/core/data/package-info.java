/**
 * Text-to-text task data for prompt tuning: examples read from JSONL / CSV / TSV ({@link
 * dev.prompttune.core.data.ExampleReader}), input templates ({@link dev.prompttune.core.data.Template}), label
 * verbalizers ({@link dev.prompttune.core.data.Verbalizer}), validated splits ({@link
 * dev.prompttune.core.data.TaskData}), tokenization with a cache ({@link dev.prompttune.core.data.TokenizedSplit},
 * {@link dev.prompttune.core.data.TokenizationCache}). Batching and padding happen where the arrays are used:
 * {@code train.BatchOrder} and {@code eval.RankClassifier.Padded} (training and scoring alike).
 *
 * <p>Every user error is a one-line {@link dev.prompttune.core.PromptTuneException} naming the file and line.
 */
package dev.prompttune.core.data;
