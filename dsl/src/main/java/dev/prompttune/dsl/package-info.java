/**
 * The Groovy DSL, compiled onto the core's {@link dev.prompttune.core.spec.PromptTuneSpec}; it adds no training
 * behaviour of its own.
 *
 * <ul>
 *   <li>{@link dev.prompttune.dsl.TuneSpec} — the {@code promptTune { … }} block: one method per spec keyword, each
 *       validated at once; {@link dev.prompttune.dsl.SweepSpec} ({@code sweep { … }}: keywords with several values are
 *       grid axes) and {@link dev.prompttune.dsl.OptimizerSpec} ({@code optimizer('adamw') { … }}).</li>
 *   <li>{@link dev.prompttune.dsl.Experiments} — the verbs as a Java API ({@code Consumer<TuneSpec>} where scripts
 *       pass closures): promptTune, sweep, compare, evaluate, predict, ensemble, baseline, load, exportPeft,
 *       importPeft, nearest. One session per object, so a model loads once.</li>
 *   <li>{@link dev.prompttune.dsl.PromptTuneScript} — the scripts' base class (the verbs with
 *       {@code @DelegatesTo(…, DELEGATE_ONLY)} closures); {@link dev.prompttune.dsl.ScriptRunner} — the compiler
 *       configuration (base class, imports, type checking with {@link dev.prompttune.dsl.DslChecks}) and
 *       {@link dev.prompttune.dsl.ScriptError}: one line per mistake, {@code SCRIPT:LINE: message}, all of them at once.</li>
 * </ul>
 */
package dev.prompttune.dsl;
