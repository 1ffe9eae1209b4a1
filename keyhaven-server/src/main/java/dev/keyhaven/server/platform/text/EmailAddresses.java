package dev.keyhaven.server.platform.text;

import dev.keyhaven.server.platform.web.ValidationException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * E-mail addresses as accounts use them: trimmed, lower-cased, ASCII only. Refusing non-ASCII
 * addresses closes the look-alike class (a Cyrillic "а" in "аdmin@example.com"); international
 * domains are written in their punycode form.
 */
public final class EmailAddresses {
    private static final Pattern SHAPE = Pattern.compile(
            "^[a-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$");

    private EmailAddresses() {}

    /** The canonical form, or a 422 naming the field. */
    public static String normalize(String field, String email) {
        if (email == null || email.isBlank()) {
            throw ValidationException.required(field);
        }
        String e = email.strip().toLowerCase(Locale.ROOT);
        if (e.length() > 254) {
            throw ValidationException.field(field, "E-mail address must be at most 254 characters");
        }
        for (int i = 0; i < e.length(); i++) {
            if (e.charAt(i) > 0x7e || e.charAt(i) < 0x21) {
                throw ValidationException.field(
                        field,
                        "E-mail address must be ASCII without spaces "
                                + "(write an international domain in its xn-- form)");
            }
        }
        if (!SHAPE.matcher(e).matches() || e.contains("..")) {
            throw ValidationException.field(field, "Invalid e-mail address");
        }
        return e;
    }

    public static String domain(String normalized) {
        return normalized.substring(normalized.indexOf('@') + 1);
    }
}
