package dev.prompttune.kernel.jshell;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.VarSnippet;

/** The editor's help for a cell (Jupyter complete and inspect), answered by JShell's source analysis. */
final class CellAssist {

    private final JShell shell;

    CellAssist(JShell shell) {
        this.shell = shell;
    }

    /** Completion at {@code cursor}: JShell suggestions for the snippet the cursor is in. */
    JavaEvaluator.Completion complete(String code, int cursor) {
        int at = Math.max(0, Math.min(cursor, code.length()));
        int start = snippetStartBefore(code, at);
        String input = code.substring(start, at);
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions =
                shell.sourceCodeAnalysis().completionSuggestions(input, input.length(), anchor);
        Set<String> typed = new LinkedHashSet<>();
        Set<String> other = new LinkedHashSet<>();
        for (SourceCodeAnalysis.Suggestion s : suggestions) {
            (s.matchesType() ? typed : other).add(s.continuation());
        }
        typed.addAll(other);
        return new JavaEvaluator.Completion(new ArrayList<>(typed), start + anchor[0], at);
    }

    /** Documentation text for what is at {@code cursor} (signatures; javadoc when the JDK has sources), or null. */
    String inspect(String code, int cursor) {
        int at = Math.max(0, Math.min(cursor, code.length()));
        int end = at;
        while (end < code.length() && Character.isJavaIdentifierPart(code.charAt(end))) {
            end++;
        }
        int start = snippetStartBefore(code, at);
        String input = code.substring(start, end);
        SourceCodeAnalysis sca = shell.sourceCodeAnalysis();
        List<SourceCodeAnalysis.Documentation> docs = sca.documentation(input, input.length(), true);
        if (docs.isEmpty()) {
            docs = sca.documentation(input + "(", input.length() + 1, true);
        }
        if (!docs.isEmpty()) {
            return docs.stream()
                    .map(d -> d.javadoc() == null || d.javadoc().isBlank()
                            ? d.signature() : d.signature() + "\n" + d.javadoc().strip())
                    .distinct()
                    .collect(Collectors.joining("\n"));
        }
        String ident = CellText.identifierEndingAt(code, end);
        if (!ident.isEmpty()) {
            VarSnippet v = JavaEvaluator.activeVar(shell, ident);
            if (v != null) {
                String value;
                try {
                    value = shell.varValue(v);
                } catch (RuntimeException e) {
                    value = "<" + e.getMessage() + ">";
                }
                return v.typeName() + " " + v.name() + " = " + value;
            }
        }
        String type = sca.analyzeType(input, input.length());
        return type == null || type.isBlank() ? null : input.strip() + " : " + type;
    }

    int snippetStartBefore(String code, int at) {
        SourceCodeAnalysis sca = shell.sourceCodeAnalysis();
        int offset = 0;
        String rest = code.substring(0, at);
        while (!rest.isBlank()) {
            CompletionInfo info = sca.analyzeCompletion(rest);
            Completeness c = info.completeness();
            String remaining = info.remaining();
            boolean complete = c == Completeness.COMPLETE || c == Completeness.COMPLETE_WITH_SEMI || c == Completeness.EMPTY;
            if (!complete || remaining.isBlank() || remaining.length() >= rest.length()) {
                break;
            }
            offset += rest.length() - remaining.length();
            rest = remaining;
        }
        return offset;
    }
}
