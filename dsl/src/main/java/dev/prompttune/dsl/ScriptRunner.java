package dev.prompttune.dsl;

import dev.prompttune.core.JavaHeap;
import dev.prompttune.core.PromptTuneException;
import dev.prompttune.core.io.PathProblems;
import dev.prompttune.core.io.Utf8Text;
import dev.prompttune.core.spec.Home;
import groovy.lang.Binding;
import groovy.lang.GroovyClassLoader;
import groovy.lang.GroovyCodeSource;
import groovy.lang.GroovyRuntimeException;
import groovy.lang.MissingMethodException;
import groovy.lang.Script;
import groovy.transform.TypeChecked;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.SourceVersion;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.codehaus.groovy.control.customizers.ASTTransformationCustomizer;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;
import org.codehaus.groovy.control.customizers.ImportCustomizer;
import org.codehaus.groovy.control.messages.ExceptionMessage;
import org.codehaus.groovy.control.messages.Message;
import org.codehaus.groovy.control.messages.SimpleMessage;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.runtime.InvokerInvocationException;
import org.codehaus.groovy.syntax.SyntaxException;

/**
 * Compiles and runs prompttune scripts. Scripts extend {@link PromptTuneScript} (the verbs), get the DSL's
 * imports, and are type checked with {@link DslChecks}, so a misspelt keyword, a value of the wrong type or a
 * literal value out of range fails before the script starts. User errors come out as a {@link ScriptError}: one line
 * per mistake, {@code SCRIPT:LINE: message}, without a stack trace; at compile time every mistake found is reported.
 */
public final class ScriptRunner {

    private static final String STC_PREFIX = "[Static type checking] - ";

    private final Experiments experiments;
    private final List<CompilationCustomizer> extraCustomizers;

    public ScriptRunner(Experiments experiments) {
        this(experiments, List.of());
    }

    /**
     * A runner whose scripts also get {@code extra} after {@link #configuration()}'s own customizers: a notebook kernel
     * adds interrupt checks and refuses {@code System.exit}, which a command-line script keeps (its Ctrl-C and exit
     * status are the process's).
     */
    public ScriptRunner(Experiments experiments, List<? extends CompilationCustomizer> extra) {
        this.experiments = experiments;
        this.extraCustomizers = List.copyOf(extra);
    }

    /** The compiler settings of every prompttune script (a notebook kernel uses the same). */
    public static CompilerConfiguration configuration() {
        CompilerConfiguration config = new CompilerConfiguration();
        config.setScriptBaseClass(PromptTuneScript.class.getName());
        ImportCustomizer imports = new ImportCustomizer();
        imports.addStarImports("dev.prompttune.dsl", "dev.prompttune.core.run", "java.nio.file");
        imports.addImports("dev.prompttune.core.prompt.PromptInit", "dev.prompttune.core.spec.PromptTuneSpec",
                "dev.prompttune.core.peft.PeftAdapter");
        config.addCompilationCustomizers(imports, new ScriptMembersInBlocks(),
                new ASTTransformationCustomizer(Map.of("extensions", List.of(DslChecks.class.getName())), TypeChecked.class));
        return config;
    }

    /** Compiles and runs a script file; returns the script's value (its last expression). */
    public Object run(Path script) {
        return run(readScript(script), script.toString());
    }

    /** Compiles and runs script text; {@code name} is how errors name it (e.g. the file's path). */
    public Object run(String code, String name) {
        Script script = compile(code, name);
        return execute(script, name);
    }

    /** Compiles (and so type checks and validates every literal setting) without running anything. */
    public Script compile(Path script) {
        return compile(readScript(script), script.toString());
    }

    public Script compile(String code, String name) {
        String className = className(name);
        Binding binding = new Binding();
        binding.setVariable(PromptTuneScript.EXPERIMENTS, experiments);
        // Not closed: the script's classes (closures included) stay loadable while the script runs.
        CompilerConfiguration config = configuration();
        extraCustomizers.forEach(config::addCompilationCustomizers);
        GroovyClassLoader loader = new GroovyClassLoader(ScriptRunner.class.getClassLoader(), config);
        // The first compilation in a JVM clears the thread's interrupt flag (measured: Groovy 4's cold start), and with
        // it a Ctrl-C or stop button pressed while the script was read: the run would then train to the end. The flag
        // is held back while Groovy compiles and set again after.
        boolean interrupted = Thread.interrupted();
        try {
            Class<?> type = loader.parseClass(new GroovyCodeSource(code, className + ".groovy", "/groovy/script"), false);
            Script script = (Script) type.getDeclaredConstructor().newInstance();
            script.setBinding(binding);
            return script;
        } catch (MultipleCompilationErrorsException e) {
            throw allErrors(e, name, code);
        } catch (CompilationFailedException e) {
            throw new ScriptError(name, 0, e.getMessage(), e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot instantiate the compiled script " + name, e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs a compiled script; user errors become a {@link ScriptError} naming the script's line. */
    public Object execute(Script script, String name) {
        String className = script.getClass().getName();
        experiments.startScript();
        try {
            return script.run();
        } catch (InvokerInvocationException e) {
            throw runtimeError(e.getCause() != null ? e.getCause() : e, className, name);
        } catch (RuntimeException | Error e) {
            throw runtimeError(e, className, name);
        } catch (Exception checked) {
            // Groovy throws checked exceptions undeclared: Files.delete(path) in a script fails with an IOException.
            throw runtimeError(checked, className, name);
        } finally {
            experiments.endScript();
        }
    }

    private static RuntimeException runtimeError(Throwable e, String className, String name) {
        PromptTuneException user = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ScriptError s) {
                return s;
            }
            if (t instanceof PromptTuneException p) {
                user = p;
                break;
            }
        }
        if (user != null) {
            return new ScriptError(name, line(user, className), user.getMessage(), user);
        }
        if (e instanceof GroovyRuntimeException || e instanceof AssertionError || thrownByScript(e, className)) {
            // A mistake in the script's own code (a missing property, a failed assert, null.x): one line too.
            String closureCall = e instanceof MissingMethodException m ? CallMismatch.closureCall(m) : null;
            if (closureCall != null) {
                return new ScriptError(name, line(e, className), closureCall, e);
            }
            String message = e instanceof GroovyRuntimeException g ? g.getMessageWithoutLocationText() : e.getMessage();
            String kind = e instanceof AssertionError ? "assertion failed" : e.getClass().getSimpleName();
            if (e instanceof StackOverflowError) {
                // The JVM's own text is empty; say what it usually means in a script.
                message = "calls nested too deeply (a closure or method that calls itself without end?)";
            }
            if (e instanceof OutOfMemoryError) {
                message = (message == null ? "" : message + ": ") + "the Java heap (" + JavaHeap.limit() + ") ran out; "
                        + "give the script " + JavaHeap.howToRaise();
            }
            return new ScriptError(name, line(e, className), message == null ? kind : kind + ": " + message, e);
        }
        // A bug in prompttune: keep the stack trace, but say where in the script it happened.
        return new IllegalStateException(name + ":" + line(e, className) + ": " + e, e);
    }

    /** The script line of the innermost frame in the script (closures included). */
    static int line(Throwable e, String className) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (StackTraceElement f : t.getStackTrace()) {
                String c = f.getClassName();
                if ((c.equals(className) || c.startsWith(className + "$")) && f.getLineNumber() > 0) {
                    return f.getLineNumber();
                }
            }
        }
        return 0;
    }

    /** Whether the first frame outside the JDK and Groovy's runtime is the script's. */
    private static boolean thrownByScript(Throwable e, String className) {
        for (StackTraceElement f : e.getStackTrace()) {
            String c = f.getClassName();
            if (c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun.") || c.startsWith("org.codehaus.groovy.")
                    || c.startsWith("groovy.") || c.startsWith("org.apache.groovy.")) {
                continue;
            }
            return c.equals(className) || c.startsWith(className + "$");
        }
        return false;
    }

    /**
     * Every compile error, each on its own line and in line order, as a compiler reports them: a missing setting does
     * not hide a misspelt keyword further down. A parse error that Brackets can place better is moved to its line.
     */
    private static ScriptError allErrors(MultipleCompilationErrorsException e, String name, String code) {
        List<ScriptError.Problem> problems = new ArrayList<>();
        Set<ScriptError.Problem> seen = new HashSet<>();
        List<String> lines = code.lines().toList();
        for (Message m : e.getErrorCollector().getErrors()) {
            int line = 0;
            int column = 0;
            String message;
            if (m instanceof SyntaxErrorMessage s) {
                SyntaxException cause = s.getCause();
                line = Math.max(cause.getLine(), 0);
                column = Math.max(cause.getStartColumn(), 0);
                message = cause.getOriginalMessage();
            } else if (m instanceof ExceptionMessage x) {
                message = x.getCause().getMessage();
            } else if (m instanceof SimpleMessage s) {
                message = s.getMessage();
            } else {
                message = m.toString();
            }
            if (message.startsWith(STC_PREFIX)) {
                message = message.substring(STC_PREFIX.length());
            }
            message = CallMismatch.reword(message, line >= 1 && line <= lines.size() ? lines.get(line - 1) : null, column);
            if (message.startsWith("The spread operator cannot be used as argument")) {
                // `length(*sizes)`: the type checker's own words, about its rule rather than what to write.
                message = "a spread list (*list) cannot be a call's arguments in a prompttune script (they are checked "
                        + "before it runs)" + DslReflection.SWEEP_LIST_HINT.formatted("length");
            }
            if (message.matches("Unexpected character: '\\\\?['\"]'.*")) {
                // Groovy's lexer meets a quote that starts no string: one that is never closed on its line.
                message = "syntax error: a string opened on this line is never closed (a closing quote is missing)";
            }
            ScriptError.Problem problem = new ScriptError.Problem(line, message);
            if (message.startsWith("Unexpected input") && line > 0) {
                ScriptError hint = Brackets.hint(code, line, name, e);
                if (hint != null) {
                    problem = hint.problems().get(0);
                }
            }
            if (seen.add(problem)) {
                problems.add(problem);
            }
        }
        return new ScriptError(name, problems, e);
    }

    /**
     * A class name from a script's file name ({@code ablation.groovy} → {@code ablation}). A Java keyword gets a prefix
     * too: a script class named {@code long} or {@code int} is taken for the primitive type, and its blocks' keywords
     * stopped resolving ("unknown command 'save'").
     */
    static String className(String name) {
        String file = Path.of(name).getFileName() == null ? name : Path.of(name).getFileName().toString();
        String base = file.endsWith(".groovy") ? file.substring(0, file.length() - ".groovy".length()) : file;
        StringBuilder b = new StringBuilder();
        for (char c : base.toCharArray()) {
            b.append(Character.isJavaIdentifierPart(c) ? c : '_');
        }
        if (b.length() == 0 || !Character.isJavaIdentifierStart(b.charAt(0)) || SourceVersion.isKeyword(b)) {
            b.insert(0, "script_");
        }
        return b.toString();
    }

    /**
     * A script file's text; refused when it holds nothing to run (no bytes, or only comments and blank space): such a
     * file is a mistake (the wrong file, an unsaved editor buffer), and running it would end with status 0 and no
     * output, as if it had worked. (A notebook cell may be empty: script text, {@link #run(String, String)}, may.)
     */
    private static String readScript(Path script) {
        String code = read(script);
        if (onlyComments(code)) {
            throw new PromptTuneException("script " + script + " defines nothing to run: it is "
                    + (code.isEmpty() ? "empty" : "only comments and blank space") + "; allowed: statements calling "
                    + String.join(", ", PromptTuneScript.COMMANDS) + ", e.g. promptTune { data 'spam' }");
        }
        return code;
    }

    /** Whether Groovy code is nothing but white space, comments and a first-line {@code #!}. */
    static boolean onlyComments(String code) {
        int i = code.startsWith("#!") ? endOfLine(code, 0) : 0;
        while (i < code.length()) {
            if (Character.isWhitespace(code.charAt(i))) {
                i++;
            } else if (code.startsWith("//", i)) {
                i = endOfLine(code, i);
            } else if (code.startsWith("/*", i)) {
                int end = code.indexOf("*/", i + 2);
                if (end < 0) {
                    return false; // an unclosed comment: the compiler says so
                }
                i = end + 2;
            } else {
                return false;
            }
        }
        return true;
    }

    private static int endOfLine(String code, int from) {
        int end = code.indexOf('\n', from);
        return end < 0 ? code.length() : end + 1;
    }

    private static String read(Path script) {
        // `cd elsewhere && prompttune run examples/quickstart.groovy`: the README's paths are the checkout's.
        Path inCheckout = script.isAbsolute() || Files.exists(script) ? null : Home.get().resolve(script);
        if (inCheckout != null && Files.isRegularFile(inCheckout)) {
            throw new PromptTuneException("script " + script + " does not exist in the current folder "
                    + Path.of("").toAbsolutePath() + "; prompttune's checkout has " + inCheckout + " (a script path is "
                    + "relative to the folder the command runs in)");
        }
        PathProblems.requireFile(script, "script");
        try {
            String text = Utf8Text.decode(Files.readAllBytes(script), script.toString());
            return text.startsWith("\uFEFF") ? text.substring(1) : text; // a byte-order mark is not part of the script
        } catch (IOException e) {
            throw new PromptTuneException("cannot read script " + script + ": " + PathProblems.describe(script, e), e);
        }
    }
}
