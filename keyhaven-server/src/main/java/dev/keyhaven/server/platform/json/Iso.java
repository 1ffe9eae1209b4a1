package dev.keyhaven.server.platform.json;

/**
 * Timestamps as the API writes them: ISO-8601 in UTC with milliseconds, {@code 2026-11-27T02:03:23.123Z},
 * the form JavaScript's {@code toISOString()} gives and Infisical's clients read. Written by hand
 * because it runs for every field of every listed secret, where {@code Instant.toString()} was
 * the single largest cost.
 */
public final class Iso {
    private Iso() {}

    public static String of(long epochMillis) {
        long days = Math.floorDiv(epochMillis, 86_400_000L);
        long msOfDay = Math.floorMod(epochMillis, 86_400_000L);
        // civil-from-days (Howard Hinnant's algorithm), proleptic Gregorian calendar
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long day = doy - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        int ms = (int) (msOfDay % 1000);
        int sec = (int) (msOfDay / 1000 % 60);
        int min = (int) (msOfDay / 60_000 % 60);
        int hour = (int) (msOfDay / 3_600_000);
        char[] out = new char[24];
        if (year < 0 || year > 9999) {
            return java.time.Instant.ofEpochMilli(epochMillis).toString();
        }
        put(out, 0, (int) year, 4);
        out[4] = '-';
        put(out, 5, (int) month, 2);
        out[7] = '-';
        put(out, 8, (int) day, 2);
        out[10] = 'T';
        put(out, 11, hour, 2);
        out[13] = ':';
        put(out, 14, min, 2);
        out[16] = ':';
        put(out, 17, sec, 2);
        out[19] = '.';
        put(out, 20, ms, 3);
        out[23] = 'Z';
        return new String(out);
    }

    /** Like {@link #of(long)}, null for null. */
    public static String ofNullable(Long epochMillis) {
        return epochMillis == null ? null : of(epochMillis);
    }

    private static void put(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
