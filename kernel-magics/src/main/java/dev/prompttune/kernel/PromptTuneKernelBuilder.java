package dev.prompttune.kernel;

import dev.prompttune.kernel.jshell.JavaEvaluator;
import dev.prompttune.kernel.jshell.JvmClasspath;
import dev.prompttune.kernel.magics.ValueMagicTranspiler;
import java.util.ArrayList;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.BaseKernelBuilder;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;


/** Builds a {@link PromptTuneKernel}; call {@code onStartup()} on the result to install it and its extensions. */
public class PromptTuneKernelBuilder extends BaseKernelBuilder<PromptTuneKernelBuilder, PromptTuneKernel> {

    /** How long an interrupted cell gets to stop on its own before it is stopped the hard way. */
    public static final long DEFAULT_INTERRUPT_GRACE_MS = 2000;

    private final List<String> classpath = new ArrayList<>();
    private final List<String> startup = new ArrayList<>(JavaEvaluator.DEFAULT_STARTUP);
    private long interruptGraceMillis = Long.getLong("prompttune.kernel.interruptGraceMs", DEFAULT_INTERRUPT_GRACE_MS);

    PromptTuneKernelBuilder() {
        name(PromptTuneKernel.IMPLEMENTATION);
        version(KernelVersion.prompttune());
    }

    /** Extra class path entries for cells (this JVM's class path is always included). */
    public PromptTuneKernelBuilder classpath(String entry) {
        classpath.add(entry);
        return this;
    }

    /** Extra JShell snippets run at startup (imports, helpers). */
    public PromptTuneKernelBuilder startup(String snippet) {
        startup.add(snippet);
        return this;
    }

    public PromptTuneKernelBuilder interruptGraceMillis(long millis) {
        this.interruptGraceMillis = millis;
        return this;
    }

    @Override
    public PromptTuneKernel build() {
        List<String> cp = new ArrayList<>(JvmClasspath.of());
        cp.addAll(classpath);
        JavaEvaluator evaluator = new JavaEvaluator(cp, startup, interruptGraceMillis);
        MagicParser parser = magicParser != null ? magicParser
                : new MagicParser(ValueMagicTranspiler.LINE_MAGIC_START, ValueMagicTranspiler.CELL_MAGIC_START,
                magicTranspiler != null ? magicTranspiler : new ValueMagicTranspiler());
        LanguageInfo language = new LanguageInfo.Builder("java")
                .version(System.getProperty("java.version"))
                .mimetype("text/x-java-source")
                .fileExtension(".jshell")
                .pygments("java")
                .codemirror("java")
                .build();
        List<HelpLink> help = List.of(
                new HelpLink("Java " + Runtime.version().feature() + " API",
                        "https://docs.oracle.com/en/java/javase/" + Runtime.version().feature() + "/docs/api/index.html"));
        return new PromptTuneKernel(
                buildName(), buildVersion(), language, help,
                new KernelIO(buildJupyterIOEncoding()), buildCommManager(), buildRenderer(), parser,
                buildMagicsRegistry(),
                buildExtensionsEnabled() && Boolean.parseBoolean(System.getProperty("prompttune.kernel.extensions", "true")),
                buildErrorStyler(), evaluator);
    }
}
