package dev.keyhaven.server.dynamic;

import dev.keyhaven.server.platform.web.ValidationException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** TTLs as Infisical writes them ({@code 30s}, {@code 15m}, {@code 1h}, {@code 7d}; a bare number is seconds). */
final class Ttl {
    static final Duration MIN = Duration.ofMinutes(1);
    static final Duration MAX = Duration.ofDays(3650);
    private static final Pattern FORM = Pattern.compile("(\\d{1,9})\\s*(s|m|h|d)?");

    private Ttl() {}

    static Duration parse(String field, Object raw) {
        String text = raw == null ? "" : String.valueOf(raw).strip();
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw ValidationException.field(field, "Must be a duration such as 30s, 15m, 1h or 7d");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d = switch (unit) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.compareTo(MIN) < 0 || d.compareTo(MAX) > 0) {
            throw ValidationException.field(field, "Must be between 1 minute and 10 years");
        }
        return d;
    }

    /** The TTL in the form it was given back: whole days, hours, minutes or seconds. */
    static String format(long seconds) {
        if (seconds % 86400 == 0) {
            return seconds / 86400 + "d";
        }
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }
}
