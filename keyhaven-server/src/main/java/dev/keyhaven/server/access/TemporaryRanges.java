package dev.keyhaven.server.access;

import dev.keyhaven.server.platform.web.ValidationException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations written the way Infisical's clients write them: {@code 30m}, {@code 1h}, {@code 7d}. */
public final class TemporaryRanges {
    private static final Pattern RANGE = Pattern.compile("^\\s*(\\d{1,12})\\s*(ms|s|m|h|d|w|y)?\\s*$");

    private TemporaryRanges() {}

    /** The start of a temporary grant: the given ISO time, or now when absent. */
    public static long start(String field, String iso, long now) {
        if (iso == null || iso.isBlank()) {
            return now;
        }
        try {
            return java.time.Instant.parse(iso).toEpochMilli();
        } catch (java.time.format.DateTimeParseException e) {
            throw ValidationException.field(field, "Invalid datetime");
        }
    }

    /** The duration in milliseconds; a 422 naming the field when unparseable or not positive. */
    public static long millis(String field, String range) {
        if (range == null || range.length() > 32) {
            throw ValidationException.field(field, "Expected a duration such as 30m, 1h or 7d");
        }
        Matcher m = RANGE.matcher(range);
        if (!m.matches()) {
            throw ValidationException.field(field, "Expected a duration such as 30m, 1h or 7d");
        }
        long n = Long.parseLong(m.group(1));
        long unit = switch (m.group(2) == null ? "ms" : m.group(2)) {
            case "s" -> 1000L;
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            case "d" -> 86_400_000L;
            case "w" -> 604_800_000L;
            case "y" -> 31_557_600_000L;
            default -> 1L;
        };
        long ms = n * unit;
        if (ms <= 0) {
            throw ValidationException.field(field, "The duration must be greater than zero");
        }
        return ms;
    }
}
