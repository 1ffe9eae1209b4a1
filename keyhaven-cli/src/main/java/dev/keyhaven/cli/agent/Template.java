package dev.keyhaven.cli.agent;

import dev.keyhaven.client.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A template the agent renders to a file: plain text with tags in double braces. A tag is
 * {@code {{ secret "ENV" "/path" "KEY" }}} (the value of one secret, always all three names, so a
 * template says exactly where each value comes from), optionally piped through a filter
 * ({@code | json} for a quoted JSON string, {@code | base64}), or a string literal
 * {@code {{ "{{" }}}, which is how a literal {@code {{} is written. Text outside tags is copied
 * as it is; a {@code }}} outside a tag needs no escape. Parsing happens once, at start-up, so a
 * mistake is reported with its line and column before anything is written.
 */
final class Template {
    /** A secret a template names: environment slug, folder path and key. */
    record SecretRef(String environment, String path, String key) {
        @Override
        public String toString() {
            return environment + ":" + path + " " + key;
        }
    }

    /** A secret a template names that the server did not return. */
    static final class MissingSecretException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        final SecretRef ref;

        MissingSecretException(SecretRef ref, String where) {
            super(where + ": no secret " + ref.key() + " in " + ref.environment() + ":" + ref.path()
                    + " (nor in its imports)");
            this.ref = ref;
        }
    }

    private static final Map<String, UnaryOperator<String>> FILTERS = Map.of(
            "json", Json::quote, "base64", v -> Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8)));

    private sealed interface Part permits Text, SecretTag {}

    private record Text(String text) implements Part {}

    private record SecretTag(SecretRef ref, List<UnaryOperator<String>> filters, String where) implements Part {}

    private final List<Part> parts;
    private final Set<SecretRef> refs;

    private Template(List<Part> parts) {
        this.parts = List.copyOf(parts);
        Set<SecretRef> r = new LinkedHashSet<>();
        for (Part p : parts) {
            if (p instanceof SecretTag t) {
                r.add(t.ref());
            }
        }
        this.refs = Set.copyOf(r);
    }

    /** The secrets this template names. */
    Set<SecretRef> refs() {
        return refs;
    }

    /**
     * The rendered text; {@code values} gives a secret's value, or null when the server has no
     * such secret (then a {@link MissingSecretException} naming it, never a half-rendered text).
     */
    String render(Function<SecretRef, String> values) {
        StringBuilder b = new StringBuilder();
        for (Part p : parts) {
            if (p instanceof Text t) {
                b.append(t.text());
            } else if (p instanceof SecretTag s) {
                String v = values.apply(s.ref());
                if (v == null) {
                    throw new MissingSecretException(s.ref(), s.where());
                }
                for (UnaryOperator<String> f : s.filters()) {
                    v = f.apply(v);
                }
                b.append(v);
            }
        }
        return b.toString();
    }

    /** Parses {@code text}; {@code name} (the template file or field) prefixes every error. */
    static Template parse(String text, String name) {
        return new Parser(text, name).parse();
    }

    /** A hand-written scanner: the grammar is two forms, and errors need line and column. */
    private static final class Parser {
        private final String s;
        private final String name;
        private int i;

        Parser(String s, String name) {
            this.s = s;
            this.name = name;
        }

        Template parse() {
            List<Part> parts = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            while (i < s.length()) {
                if (s.startsWith("{{", i)) {
                    int start = i;
                    i += 2;
                    Part tag = tag(start);
                    if (tag instanceof Text t) {
                        text.append(t.text());
                    } else {
                        if (text.length() > 0) {
                            parts.add(new Text(text.toString()));
                            text.setLength(0);
                        }
                        parts.add(tag);
                    }
                } else {
                    text.append(s.charAt(i++));
                }
            }
            if (text.length() > 0) {
                parts.add(new Text(text.toString()));
            }
            return new Template(parts);
        }

        /** After {@code {{}: {@code secret "e" "/p" "K" [| filter]... }}} or {@code "literal" }}}. */
        private Part tag(int start) {
            skipSpace();
            Part part;
            if (peek() == '"') {
                part = new Text(string());
            } else {
                int at = i;
                String word = word();
                if (!"secret".equals(word)) {
                    throw error(
                            at,
                            word.isEmpty()
                                    ? "expected secret \"ENV\" \"/path\" \"KEY\" or a \"string\" after {{"
                                    : "unknown function '" + word
                                            + "'; the only one is secret \"ENV\" \"/path\" \"KEY\"");
                }
                String env = argument("environment");
                String path = normalisePath(argument("path"));
                String key = argument("key");
                part = new SecretTag(new SecretRef(env, path, key), filters(), where(start));
            }
            skipSpace();
            if (!s.startsWith("}}", i)) {
                throw error(
                        i,
                        i >= s.length()
                                ? "the tag opened here is not closed with }}"
                                : "expected }} (write a literal {{ as {{ \"{{\" }})");
            }
            i += 2;
            return part;
        }

        private List<UnaryOperator<String>> filters() {
            List<UnaryOperator<String>> out = new ArrayList<>();
            while (true) {
                skipSpace();
                if (peek() != '|') {
                    return out;
                }
                i++;
                skipSpace();
                int at = i;
                String f = word();
                UnaryOperator<String> op = FILTERS.get(f);
                if (op == null) {
                    throw error(at, "unknown filter '" + f + "'; use | json or | base64");
                }
                out.add(op);
            }
        }

        private String argument(String what) {
            skipSpace();
            if (peek() != '"') {
                throw error(i, "expected the " + what + " as a \"quoted string\": secret \"ENV\" \"/path\" \"KEY\"");
            }
            int at = i;
            String v = string();
            if (v.isBlank()) {
                throw error(at, "the " + what + " is empty");
            }
            return v;
        }

        /** A double-quoted string; {@code \"} and {@code \\} are the only escapes. */
        private String string() {
            int start = i;
            i++; // opening quote
            StringBuilder b = new StringBuilder();
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c == '\n') {
                    break;
                }
                if (c == '\\') {
                    char n = i < s.length() ? s.charAt(i) : 0;
                    if (n != '"' && n != '\\') {
                        throw error(i - 1, "unknown escape in a string; only \\\" and \\\\ are allowed");
                    }
                    b.append(n);
                    i++;
                } else {
                    b.append(c);
                }
            }
            throw error(start, "the string is not closed with \" on the same line");
        }

        private String word() {
            int start = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                i++;
            }
            return s.substring(start, i);
        }

        private void skipSpace() {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
        }

        private char peek() {
            return i < s.length() ? s.charAt(i) : 0;
        }

        private String where(int pos) {
            int line = 1;
            int col = 1;
            for (int k = 0; k < pos && k < s.length(); k++) {
                if (s.charAt(k) == '\n') {
                    line++;
                    col = 1;
                } else {
                    col++;
                }
            }
            return name + " line " + line + ", column " + col;
        }

        private AgentConfigException error(int pos, String problem) {
            return new AgentConfigException(where(pos) + ": " + problem + ".");
        }
    }

    /** {@code api/} and {@code /api} are the same folder, as for the CLI's --path. */
    static String normalisePath(String p) {
        String t = p.trim();
        if (!t.startsWith("/")) {
            t = "/" + t;
        }
        while (t.length() > 1 && t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }
}
