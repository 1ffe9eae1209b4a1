package dev.keyhaven.server.people;

import dev.keyhaven.server.platform.web.ValidationException;

/** First and last names: optional, at most 64 characters, no control characters (no header injection). */
final class PersonNames {
    private PersonNames() {}

    static String check(String field, String name) {
        if (name == null) {
            return null;
        }
        String n = name.strip();
        if (n.length() > 64) {
            throw ValidationException.field(field, "Must be at most 64 characters");
        }
        if (n.chars().anyMatch(c -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029')) {
            throw ValidationException.field(field, "Must not contain control characters or line breaks");
        }
        return n.isEmpty() ? null : n;
    }

    /** A name from an identity provider, made acceptable instead of refused: control characters dropped, cut at 64. */
    static String clip(String name) {
        if (name == null) {
            return null;
        }
        String n = name.replaceAll("[\\p{Cntrl}\u2028\u2029]", "").strip();
        n = n.length() > 64 ? n.substring(0, 64) : n;
        return n.isEmpty() ? null : n;
    }

    static void checkPassword(String field, String password) {
        if (password == null) {
            throw ValidationException.required(field);
        }
        if (password.length() < 14) {
            throw ValidationException.field(field, "Password must be at least 14 characters");
        }
        if (password.length() > 256) {
            throw ValidationException.field(field, "Password must be at most 256 characters");
        }
    }
}
