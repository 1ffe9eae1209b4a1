package dev.keyhaven.server.platform.web;

/**
 * The {@code offset} and {@code limit} of a paged list, checked once for every route that takes
 * them: whole numbers, {@code offset} from 0 to {@link #MAX_OFFSET}, {@code limit} from 1 to the
 * route's maximum. Anything else is a 422 naming the parameter, so a store never sees a bound
 * whose sum overflows (SQLite reads a negative {@code LIMIT} as no limit at all).
 */
public record Paging(int offset, int limit) {
    /** The largest offset any list accepts; deeper pages are better reached with filters. */
    public static final int MAX_OFFSET = 1_000_000;

    /**
     * Reads the raw query values; a missing or blank value takes its default.
     *
     * @param defaultLimit the limit when none is given
     * @param maxLimit the largest limit the route serves
     */
    public static Paging of(String offset, String limit, int defaultLimit, int maxLimit) {
        return new Paging(
                number("offset", offset, 0, 0, MAX_OFFSET), number("limit", limit, defaultLimit, 1, maxLimit));
    }

    private static int number(String field, String raw, int fallback, int min, int max) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        long v;
        try {
            v = Long.parseLong(raw.strip());
        } catch (NumberFormatException e) {
            throw ValidationException.invalidType(field, "number", "string");
        }
        if (v < min || v > max) {
            throw ValidationException.field(field, "Number must be between " + min + " and " + max);
        }
        return (int) v;
    }
}
