package dev.prompttune.dsl;

import groovy.transform.ThreadInterrupt;
import org.codehaus.groovy.ast.ASTNode;
import org.codehaus.groovy.ast.AnnotationNode;
import org.codehaus.groovy.ast.ClassHelper;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;
import org.codehaus.groovy.transform.ThreadInterruptibleASTTransformation;

/**
 * Groovy's {@link ThreadInterrupt} on a script's classes, applied after the script has been checked: its loops,
 * closures and methods then test the thread's interrupt flag, so a Ctrl-C (the CLI) or the stop button (a notebook)
 * ends a script busy in its own code.
 *
 * <p>Not through {@code ASTTransformationCustomizer(ThreadInterrupt)}: that runs before the type checker, whose checks
 * then found an {@code if (Thread.currentThread().isInterrupted()) throw …} at the top of every block and took it for
 * code they cannot read ahead of the run: a block's mistakes were then reported only when the run reached them, at
 * the block's line. Added after {@link ScriptRunner#configuration()}'s own customizers, this one runs after them in
 * the same phase.
 */
public final class InterruptibleScripts extends CompilationCustomizer {

    public InterruptibleScripts() {
        super(CompilePhase.INSTRUCTION_SELECTION);
    }

    @Override
    public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        AnnotationNode annotation = new AnnotationNode(ClassHelper.make(ThreadInterrupt.class));
        new ThreadInterruptibleASTTransformation().visit(new ASTNode[] {annotation, classNode}, source);
    }
}
