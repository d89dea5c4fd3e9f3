package dev.prompttune.kernel.magics;

import java.util.List;

/** Small HTML helpers for magic outputs (escaped text, plain tables that GitHub's notebook viewer also shows). */
final class Html {

    private Html() {
    }

    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A table; cells are escaped text. */
    static String table(List<String> header, List<List<String>> rows) {
        StringBuilder b = new StringBuilder("<table><thead><tr>");
        header.forEach(h -> b.append("<th>").append(escape(h)).append("</th>"));
        b.append("</tr></thead><tbody>");
        for (List<String> row : rows) {
            b.append("<tr>");
            row.forEach(c -> b.append("<td>").append(escape(c)).append("</td>"));
            b.append("</tr>");
        }
        return b.append("</tbody></table>").toString();
    }
}
