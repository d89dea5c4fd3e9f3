package dev.prompttune.kernel.magics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A magic's declared arguments: positional parameters (required, optional, or a trailing list), an optional
 * {@code as NAME} clause, and {@code --options}. {@link #parse} rejects anything else by name, so a typo fails with
 * the magic's usage instead of being ignored.
 *
 * <pre>
 * MagicSignature.line("nearest").required("name").optional("k").option("dir", "DIR", "…")
 * </pre>
 */
public final class MagicSignature {

    private record Param(String name, boolean required, boolean rest) {}

    private record Option(String name, String valueName, String help) {}

    private final String magic;
    private final List<Param> params = new ArrayList<>();
    private final Map<String, Option> options = new LinkedHashMap<>();
    private String asName;

    private MagicSignature(String magic) {
        this.magic = magic;
    }

    /** A line magic, written {@code %name}. */
    public static MagicSignature line(String name) {
        return new MagicSignature("%" + name);
    }

    /** A cell magic, written {@code %%name}. */
    public static MagicSignature cell(String name) {
        return new MagicSignature("%%" + name);
    }

    public MagicSignature required(String name) {
        params.add(new Param(name, true, false));
        return this;
    }

    public MagicSignature optional(String name) {
        params.add(new Param(name, false, false));
        return this;
    }

    /** A trailing list of at least {@code min} values (e.g. the runs of {@code %compare}). */
    public MagicSignature rest(String name, int min) {
        params.add(new Param(name, min > 0, true));
        return this;
    }

    /** An optional {@code as NAME} clause after the positional arguments. */
    public MagicSignature as(String name) {
        asName = name;
        return this;
    }

    /** {@code --name VALUE} ({@code valueName} null: a flag without a value). */
    public MagicSignature option(String name, String valueName, String help) {
        options.put(name, new Option(name, valueName, help));
        return this;
    }

    /** E.g. {@code %nearest NAME [K] [--dir DIR]}. */
    public String usage() {
        StringBuilder b = new StringBuilder(magic);
        for (Param p : params) {
            String n = p.name.toUpperCase(java.util.Locale.ROOT);
            b.append(' ').append(p.rest ? (p.required ? n + "…" : "[" + n + "…]") : p.required ? n : "[" + n + "]");
        }
        if (asName != null) {
            b.append(" [as ").append(asName.toUpperCase(java.util.Locale.ROOT)).append(']');
        }
        for (Option o : options.values()) {
            b.append(" [--").append(o.name).append(o.valueName == null ? "" : " " + o.valueName).append(']');
        }
        return b.toString();
    }

    /** {@code 'text'} → {@code text}; anything else as it is. */
    static String unquoted(String arg) {
        return arg.length() >= 2 && arg.startsWith("'") && arg.endsWith("'") ? arg.substring(1, arg.length() - 1) : arg;
    }

    /**
     * Parses a magic's arguments (already split by the kernel, double quotes removed). An argument wholly in single
     * quotes loses them too, as in a shell: the kernel keeps them, and {@code %savePrompt run ''} wrote a file named
     * {@code ''.safetensors} instead of being refused as an empty path.
     */
    public Args parse(List<String> args) {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = unquoted(args.get(i));
            if (a.startsWith("--") && a.length() > 2) {
                String key = a.substring(2);
                String inline = null;
                int eq = key.indexOf('=');
                if (eq > 0) {
                    inline = key.substring(eq + 1);
                    key = key.substring(0, eq);
                }
                Option o = options.get(key);
                if (o == null) {
                    throw error("unknown option --" + key + "; "
                            + (options.isEmpty() ? "it takes no options" : "allowed: " + options.keySet().stream()
                            .map(k -> "--" + k).collect(Collectors.joining(", "))));
                }
                if (o.valueName == null) {
                    values.put(key, "true");
                } else if (inline != null) {
                    values.put(key, inline);
                } else if (i + 1 < args.size()) {
                    values.put(key, unquoted(args.get(++i)));
                } else {
                    throw error("option --" + key + " needs a value (" + o.valueName + ")");
                }
            } else {
                positional.add(a);
            }
        }
        if (asName != null && positional.size() >= 2 && positional.get(positional.size() - 2).equals("as")) {
            values.put(asName, positional.get(positional.size() - 1));
            positional = positional.subList(0, positional.size() - 2);
        }
        int p = 0;
        List<String> rest = List.of();
        for (Param param : params) {
            if (param.rest) {
                rest = List.copyOf(positional.subList(Math.min(p, positional.size()), positional.size()));
                if (param.required && rest.isEmpty()) {
                    throw error("missing " + param.name.toUpperCase(java.util.Locale.ROOT));
                }
                p = positional.size();
            } else if (p < positional.size()) {
                values.put(param.name, positional.get(p++));
            } else if (param.required) {
                throw error("missing " + param.name.toUpperCase(java.util.Locale.ROOT));
            }
        }
        if (p < positional.size()) {
            throw error("unexpected argument" + (positional.size() - p > 1 ? "s " : " ")
                    + positional.subList(p, positional.size()).stream().map(s -> "'" + s + "'").collect(Collectors.joining(" ")));
        }
        return new Args(this, values, rest);
    }

    MagicError error(String message) {
        return new MagicError(magic + ": " + message + "; usage: " + usage());
    }

    /** Parsed arguments. */
    public static final class Args {
        private final MagicSignature signature;
        private final Map<String, String> values;
        private final List<String> rest;

        Args(MagicSignature signature, Map<String, String> values, List<String> rest) {
            this.signature = signature;
            this.values = values;
            this.rest = rest;
        }

        /** A positional parameter, {@code as} name or option value; null when absent. */
        public String get(String name) {
            return values.get(name);
        }

        public boolean flag(String name) {
            return values.containsKey(name);
        }

        public List<String> rest() {
            return rest;
        }

        /** An integer argument ≥ {@code min}, or {@code fallback} when absent. */
        public int integer(String name, int fallback, int min) {
            String v = values.get(name);
            if (v == null) {
                return fallback;
            }
            try {
                int n = Integer.parseInt(v.strip());
                if (n >= min) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            // 99999999999 is >= min but no int: say so, not only the bound it meets.
            String tooLarge = v.strip().matches("\\+?[0-9]+") ? " (too large)" : "";
            throw signature.error(name.toUpperCase(java.util.Locale.ROOT) + " must be an integer >= " + min + ", got '" + v + "'" + tooLarge);
        }
    }
}
