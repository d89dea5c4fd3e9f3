/**
 * Hugging Face PEFT prompt-tuning interop: import and export of adapter directories
 * ({@link dev.prompttune.core.peft.PeftAdapter}), replay of PEFT's Adafactor training
 * ({@link dev.prompttune.core.peft.PeftReplay}) and verification against PEFT's own outputs
 * ({@link dev.prompttune.core.peft.PeftVerifier}, {@code prompttune verify-peft}).
 */
package dev.prompttune.core.peft;
