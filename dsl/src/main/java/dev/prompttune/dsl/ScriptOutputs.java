package dev.prompttune.dsl;

import dev.prompttune.core.promptfile.PromptFile;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.CodeVisitorSupport;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.expr.BinaryExpression;
import org.codehaus.groovy.ast.expr.ClassExpression;
import org.codehaus.groovy.ast.expr.ConstructorCallExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.PropertyExpression;
import org.codehaus.groovy.ast.expr.StaticMethodCallExpression;
import org.codehaus.groovy.ast.expr.TupleExpression;
import org.codehaus.groovy.syntax.Types;

/**
 * The files a script's own verbs write ({@code savePrompt(run, 'p')}, {@code exportPeft(run, 'dir')}), known before
 * it runs. The compile-time checks read prompt files and adapters a script names; one the script writes itself
 * ({@code savePrompt(a, 'p')} and later {@code init file('p.safetensors')}) does not exist yet, or is about to be
 * replaced, so it is checked when the script reaches it, not before.
 *
 * <p>When a writing verb's path is not known before the script runs ({@code savePrompt(a, "p$i")}), or the script
 * may write files by other means ({@code new File('x.csv').text = …}, {@code Files.copy}, {@code withWriter}), any
 * file may be written: then no read is checked ahead, rather than refusing a script that works.
 */
final class ScriptOutputs {

    /** The script verbs that write a file or folder, each given as its last argument. */
    static final Set<String> WRITERS = Set.of("savePrompt", "exportPeft");

    /** Groovy and JDK methods that write, copy or move files ({@code file.text = …} is {@code setText}). */
    private static final Set<String> OTHER_WRITES = Set.of("setText", "setBytes", "write", "append", "leftShift",
            "withWriter", "withWriterAppend", "withPrintWriter", "withOutputStream", "withDataOutputStream",
            "withObjectOutputStream", "newWriter", "newOutputStream", "newPrintWriter", "renameTo", "copy", "move",
            "createFile", "createDirectories", "createDirectory", "createTempFile", "mkdir", "mkdirs");

    /** File-writing classes whose construction means the script may write any file. */
    private static final Set<String> WRITER_TYPES = Set.of("java.io.File", "java.io.FileWriter",
            "java.io.FileOutputStream", "java.io.PrintWriter", "java.io.RandomAccessFile");

    private final List<Path> written;
    private final boolean unknown;

    private ScriptOutputs(List<Path> written, boolean unknown) {
        this.written = written;
        this.unknown = unknown;
    }

    /**
     * @param literal an expression's value when it is known before the script runs, else anything that is not a
     *     String ({@link DslLiterals#NOT_CONSTANT})
     */
    static ScriptOutputs of(ClassNode script, Function<Expression, Object> literal) {
        List<Path> written = new ArrayList<>();
        boolean[] unknown = new boolean[1];
        CodeVisitorSupport visitor = new CodeVisitorSupport() {
            @Override
            public void visitMethodCallExpression(MethodCallExpression call) {
                if (call.isImplicitThis() && call.getMethodAsString() != null && WRITERS.contains(call.getMethodAsString())
                        && call.getArguments() instanceof TupleExpression t && !t.getExpressions().isEmpty()) {
                    Object value = literal.apply(t.getExpression(t.getExpressions().size() - 1));
                    if (!(value instanceof String)) {
                        unknown[0] = true;
                    } else if (path(value) != null) {
                        written.add(path(value)); // a blank or invalid path writes nothing: the verb refuses it
                    }
                }
                String name = call.getMethodAsString(); // null for a computed name: "abc"."$m"()
                if (name == null || OTHER_WRITES.contains(name) || call.getObjectExpression() instanceof ClassExpression c
                        && c.getType().getName().equals("java.nio.file.Files")) {
                    unknown[0] = true;
                }
                super.visitMethodCallExpression(call);
            }

            @Override
            public void visitStaticMethodCallExpression(StaticMethodCallExpression call) {
                unknown[0] |= call.getMethod() == null || OTHER_WRITES.contains(call.getMethod());
                super.visitStaticMethodCallExpression(call);
            }

            @Override
            public void visitConstructorCallExpression(ConstructorCallExpression call) {
                unknown[0] |= WRITER_TYPES.contains(call.getType().getName());
                super.visitConstructorCallExpression(call);
            }

            @Override
            public void visitBinaryExpression(BinaryExpression b) {
                // `file.text = '…'`, `file.bytes = …`
                unknown[0] |= Types.isAssignment(b.getOperation().getType()) && b.getLeftExpression() instanceof PropertyExpression p
                        && ("text".equals(p.getPropertyAsString()) || "bytes".equals(p.getPropertyAsString()));
                super.visitBinaryExpression(b);
            }
        };
        for (MethodNode m : script.getMethods()) {
            if (m.getCode() != null) {
                m.getCode().visit(visitor);
            }
        }
        return new ScriptOutputs(List.copyOf(written), unknown[0]);
    }

    /**
     * Whether running the script may write {@code file}: a prompt file of a path given to savePrompt (with or
     * without its .safetensors / .json extension), or a file in or the folder given to exportPeft.
     */
    boolean mayWrite(Object file) {
        if (unknown) {
            return true;
        }
        Path p = path(file instanceof Path path ? path.toString() : file);
        if (p == null) {
            return false;
        }
        for (Path w : written) {
            if (p.startsWith(w) || PromptFile.stripExtension(p).equals(PromptFile.stripExtension(w))) {
                return true;
            }
        }
        return false;
    }

    /** The absolute, normalised path a value names, or null when it names none. */
    private static Path path(Object value) {
        if (!(value instanceof String s) || s.isBlank()) {
            return null;
        }
        try {
            return Path.of(s).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
