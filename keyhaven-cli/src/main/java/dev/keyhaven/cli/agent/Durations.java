package dev.keyhaven.cli.agent;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations in the config ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}; a bare number is seconds) and in log lines. */
final class Durations {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    private Durations() {}

    /** Parses {@code text}, or null when it is not a duration. */
    static Duration parse(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return null;
        }
        BigDecimal n = new BigDecimal(m.group(1));
        long perUnitMs = switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> 1;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            default -> 1000;
        };
        return Duration.ofMillis(n.multiply(BigDecimal.valueOf(perUnitMs)).longValue());
    }

    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 120_000) {
            return BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString() + " s";
        }
        return BigDecimal.valueOf(ms / 1000)
                        .divide(BigDecimal.valueOf(60), 1, java.math.RoundingMode.HALF_UP)
                        .stripTrailingZeros()
                        .toPlainString()
                + " min";
    }
}
