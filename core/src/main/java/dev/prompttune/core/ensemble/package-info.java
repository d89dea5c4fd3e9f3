/**
 * Many prompts over one frozen model: ensembles of prompts for one task
 * ({@link dev.prompttune.core.ensemble.PromptEnsemble}) and batches mixing tasks, each row with its own prompt
 * ({@link dev.prompttune.core.ensemble.PromptBank}).
 */
package dev.prompttune.core.ensemble;
