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
import org.codehaus.groovy.ast.stmt.BlockStatement;
import org.codehaus.groovy.ast.stmt.Statement;
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
 *
 * <p>Order counts where it is certain: a write in a later statement of the script's body cannot come before a read in
 * an earlier one that runs where it stands (not inside a closure the script may call later, or a method), so
 * {@code init file('p.safetensors')} above {@code savePrompt(a, 'p')} is checked, and refused when p is not there.
 */
final class ScriptOutputs {

    /** A read position that may come after every write: inside a closure the script calls, or a method. */
    static final int ANY_TIME = Integer.MAX_VALUE;

    /**
     * A file the script may write ({@code path} null: any file), from the statement of the script's body at index
     * {@code from} on ({@code -1}: at any time, written in a method).
     */
    private record Write(Path path, int from) {}

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

    private final List<Write> writes;
    /** The script body's top-level statements, for placing a read. */
    private final List<Statement> body;
    /** Only the writes that may come before a read in this statement of the body ({@link #ANY_TIME}: all). */
    private final int readAt;

    private ScriptOutputs(List<Write> writes, List<Statement> body, int readAt) {
        this.writes = writes;
        this.body = body;
        this.readAt = readAt;
    }

    /**
     * The writes that may come before a read on {@code line} of the script's body; {@code runsInPlace} false (a read
     * in a closure the script may call later, or in a method): all of them.
     */
    ScriptOutputs beforeRead(int line, boolean runsInPlace) {
        if (!runsInPlace || line < 1) {
            return new ScriptOutputs(writes, body, ANY_TIME);
        }
        for (int i = 0; i < body.size(); i++) {
            Statement st = body.get(i);
            if (st.getLineNumber() <= line && line <= st.getLastLineNumber()) {
                return new ScriptOutputs(writes, body, i); // the first that holds it: `savePrompt(…); promptTune {…}` counts
            }
        }
        return new ScriptOutputs(writes, body, ANY_TIME);
    }

    /**
     * @param literal an expression's value when it is known before the script runs, else anything that is not a
     *     String ({@link DslLiterals#NOT_CONSTANT})
     */
    static ScriptOutputs of(ClassNode script, Function<Expression, Object> literal) {
        List<Write> writes = new ArrayList<>();
        int[] from = {-1}; // the body statement being visited; -1 in a method
        CodeVisitorSupport visitor = new CodeVisitorSupport() {
            private void anyFile() {
                writes.add(new Write(null, from[0]));
            }

            @Override
            public void visitMethodCallExpression(MethodCallExpression call) {
                if (call.isImplicitThis() && call.getMethodAsString() != null && WRITERS.contains(call.getMethodAsString())
                        && call.getArguments() instanceof TupleExpression t && !t.getExpressions().isEmpty()) {
                    Object value = literal.apply(t.getExpression(t.getExpressions().size() - 1));
                    if (!(value instanceof String)) {
                        anyFile();
                    } else if (path(value) != null) {
                        writes.add(new Write(path(value), from[0])); // a blank or invalid path writes nothing: refused
                    }
                }
                String name = call.getMethodAsString(); // null for a computed name: "abc"."$m"()
                if (name == null || OTHER_WRITES.contains(name) || call.getObjectExpression() instanceof ClassExpression c
                        && c.getType().getName().equals("java.nio.file.Files")) {
                    anyFile();
                }
                super.visitMethodCallExpression(call);
            }

            @Override
            public void visitStaticMethodCallExpression(StaticMethodCallExpression call) {
                if (call.getMethod() == null || OTHER_WRITES.contains(call.getMethod())) {
                    anyFile();
                }
                super.visitStaticMethodCallExpression(call);
            }

            @Override
            public void visitConstructorCallExpression(ConstructorCallExpression call) {
                if (WRITER_TYPES.contains(call.getType().getName())) {
                    anyFile();
                }
                super.visitConstructorCallExpression(call);
            }

            @Override
            public void visitBinaryExpression(BinaryExpression b) {
                // `file.text = '…'`, `file.bytes = …`
                if (Types.isAssignment(b.getOperation().getType()) && b.getLeftExpression() instanceof PropertyExpression p
                        && ("text".equals(p.getPropertyAsString()) || "bytes".equals(p.getPropertyAsString()))) {
                    anyFile();
                }
                super.visitBinaryExpression(b);
            }
        };
        List<Statement> body = List.of();
        for (MethodNode m : script.getMethods()) {
            if (m.getCode() == null) {
                continue;
            }
            if (m.isScriptBody() && m.getCode() instanceof BlockStatement b) {
                body = List.copyOf(b.getStatements());
                for (int i = 0; i < body.size(); i++) {
                    from[0] = i;
                    body.get(i).visit(visitor);
                }
                from[0] = -1;
            } else {
                m.getCode().visit(visitor);
            }
        }
        return new ScriptOutputs(List.copyOf(writes), body, ANY_TIME);
    }

    /**
     * Whether running the script may write {@code file}: a prompt file of a path given to savePrompt (with or
     * without its .safetensors / .json extension), or a file in or the folder given to exportPeft.
     */
    boolean mayWrite(Object file) {
        Path p = path(file instanceof Path path ? path.toString() : file);
        for (Write w : writes) {
            if (w.from() > readAt) {
                continue; // in a later statement: the read has happened by then
            }
            if (w.path() == null) {
                return true;
            }
            if (p != null && (p.startsWith(w.path())
                    || PromptFile.stripExtension(p).equals(PromptFile.stripExtension(w.path())))) {
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
