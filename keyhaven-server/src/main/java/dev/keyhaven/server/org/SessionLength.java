package dev.keyhaven.server.org;

import dev.keyhaven.server.platform.web.ValidationException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An organization's maximum session length, written like Infisical's {@code userTokenExpiration}: {@code 30m}, {@code 8h}, {@code 30d}, {@code 2w}. */
public final class SessionLength {
    private static final Pattern FORMAT = Pattern.compile("^(\\d{1,6})([mhdw])$");
    private static final long MAX = 365L * 86_400_000L;

    private SessionLength() {}

    /** Milliseconds, or a 422 when the value is malformed, zero or beyond a year. */
    public static long parse(String field, String value) {
        Matcher m = value == null ? null : FORMAT.matcher(value.strip());
        if (m == null || !m.matches()) {
            throw ValidationException.field(field, "Must be a number followed by m, h, d or w, e.g. 8h or 30d");
        }
        long n = Long.parseLong(m.group(1));
        long unit = switch (m.group(2)) {
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            case "d" -> 86_400_000L;
            default -> 7 * 86_400_000L;
        };
        long ms = n * unit;
        if (ms < 60_000L || ms > MAX) {
            throw ValidationException.field(field, "Must be between 1m and 365d");
        }
        return ms;
    }

    /** The stored value as milliseconds; a stored value is always valid, the default is 30 days. */
    public static long millis(String stored) {
        try {
            return parse("userTokenExpiration", stored);
        } catch (ValidationException e) {
            return 30L * 86_400_000L;
        }
    }
}
