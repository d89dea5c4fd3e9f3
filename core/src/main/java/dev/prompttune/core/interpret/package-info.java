/** Prompt interpretation: nearest vocabulary tokens of each prompt vector ({@link dev.prompttune.core.interpret.NearestTokens}). */
package dev.prompttune.core.interpret;
