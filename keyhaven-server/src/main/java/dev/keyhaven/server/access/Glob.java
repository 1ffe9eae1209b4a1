package dev.keyhaven.server.access;

import java.util.regex.Pattern;

/**
 * Path globs with picomatch's meaning (as Infisical uses them): {@code *} and {@code ?} stay within
 * one path segment (a {@code *} that is a whole segment needs at least one character), {@code **}
 * as a whole segment spans any number of segments (so {@code /a/**} also matches {@code /a}),
 * {@code {x,y}} is alternation and {@code [..]} a character class.
 */
public final class Glob {
    private Glob() {}

    /** Whole-segment {@code **} repeated ({@code /a/**}{@code /**}) means the same as one. */
    private static final Pattern REPEATED_GLOBSTAR = Pattern.compile("(^|/)\\*\\*(?:/\\*\\*)+(?=/|$)");

    public static Pattern compile(String glob) {
        glob = REPEATED_GLOBSTAR.matcher(glob).replaceAll("$1**");
        StringBuilder re = new StringBuilder();
        int n = glob.length();
        int braces = 0;
        for (int i = 0; i < n; i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> {
                    boolean dbl = i + 1 < n && glob.charAt(i + 1) == '*';
                    if (dbl) {
                        boolean segStart = i == 0 || glob.charAt(i - 1) == '/';
                        boolean segEnd = i + 2 == n || glob.charAt(i + 2) == '/';
                        i++;
                        if (segStart && segEnd) {
                            if (i + 1 < n) {
                                // "**/" : zero or more whole segments
                                re.append("(?:[^/]*(?:/[^/]*)*/)?");
                                i++;
                            } else if (re.length() > 0 && re.charAt(re.length() - 1) == '/') {
                                // trailing "/**": the parent itself or anything below it
                                re.setLength(re.length() - 1);
                                re.append("(?:/.*)?");
                            } else {
                                re.append(".*");
                            }
                        } else {
                            re.append("[^/]*");
                        }
                    } else {
                        boolean wholeSegment =
                                (i == 0 || glob.charAt(i - 1) == '/') && (i + 1 == n || glob.charAt(i + 1) == '/');
                        // as in picomatch, a star that is a whole segment needs at least one character
                        re.append(wholeSegment ? "[^/]+" : "[^/]*");
                    }
                }
                case '?' -> re.append("[^/]");
                case '{' -> {
                    braces++;
                    re.append("(?:");
                }
                case '}' -> {
                    if (braces == 0) {
                        throw new IllegalArgumentException("unbalanced '}' in glob " + glob);
                    }
                    braces--;
                    re.append(')');
                }
                case ',' -> re.append(braces > 0 ? "|" : ",");
                case '[' -> {
                    int close = glob.indexOf(']', i + 1);
                    if (close < 0) {
                        throw new IllegalArgumentException("unclosed '[' in glob " + glob);
                    }
                    String cls = glob.substring(i + 1, close).replace("\\", "\\\\");
                    if (cls.startsWith("!")) {
                        cls = "^" + cls.substring(1);
                    }
                    re.append('[').append(cls).append(']');
                    i = close;
                }
                case '\\' -> {
                    if (i + 1 < n) {
                        literal(re, glob.charAt(++i));
                    }
                }
                default -> literal(re, c);
            }
        }
        if (braces != 0) {
            throw new IllegalArgumentException("unbalanced '{' in glob " + glob);
        }
        return Pattern.compile(re.toString());
    }

    private static void literal(StringBuilder re, char c) {
        if ("\\.[]{}()<>*+-=!?^$|".indexOf(c) >= 0) {
            re.append('\\');
        }
        re.append(c);
    }

    /**
     * A matcher for the glob, with fast paths for the shapes rules use most — a literal, a
     * literal followed by {@code /**}, a literal followed by {@code *} — and the regex otherwise.
     */
    public static java.util.function.Predicate<String> matcher(String glob) {
        glob = REPEATED_GLOBSTAR.matcher(glob).replaceAll("$1**");
        Pattern regex = compile(glob);
        if (isLiteral(glob)) {
            return glob::equals;
        }
        if (glob.endsWith("/**") && isLiteral(glob.substring(0, glob.length() - 3))) {
            String parent = glob.substring(0, glob.length() - 3);
            String below = parent + "/";
            return v -> v.equals(parent) || v.startsWith(below) || (parent.isEmpty() && v.startsWith("/"));
        }
        if (glob.endsWith("*") && !glob.endsWith("**") && isLiteral(glob.substring(0, glob.length() - 1))) {
            String prefix = glob.substring(0, glob.length() - 1);
            boolean wholeSegment = prefix.isEmpty() || prefix.endsWith("/");
            return v -> v.startsWith(prefix)
                    && v.indexOf('/', prefix.length()) < 0
                    && (!wholeSegment || v.length() > prefix.length());
        }
        return v -> regex.matcher(v).matches();
    }

    /** The glob with repeated whole-segment {@code **} collapsed, as every match reads it. */
    static String normalize(String glob) {
        return REPEATED_GLOBSTAR.matcher(glob).replaceAll("$1**");
    }

    /** True when the glob has no special characters, so it matches only itself. */
    static boolean isLiteral(String s) {
        for (int i = 0; i < s.length(); i++) {
            if ("*?{}[]\\,".indexOf(s.charAt(i)) >= 0) {
                return false;
            }
        }
        return true;
    }

    public static boolean matches(String glob, String value) {
        return compile(glob).matcher(value).matches();
    }
}
