/**
 * Saved prompts: {@link dev.prompttune.core.promptfile.PromptFile} ({@code NAME.safetensors} with
 * {@code prompt_embeddings} [p, H] + {@code NAME.json}, both atomic), their
 * {@link dev.prompttune.core.promptfile.PromptMetadata}, and the
 * {@link dev.prompttune.core.promptfile.EmbeddingFingerprint} that ties a prompt to the model it was trained on.
 */
package dev.prompttune.core.promptfile;
