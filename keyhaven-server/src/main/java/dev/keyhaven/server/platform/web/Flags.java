package dev.keyhaven.server.platform.web;

/**
 * Boolean query flags as Infisical defines them: the strings {@code "true"} and {@code "false"},
 * each with its own default; anything else is a 422 naming the flag.
 */
public final class Flags {
    private Flags() {}

    public static boolean parse(String name, String value, boolean defaultValue) {
        if (value == null) {
            return defaultValue;
        }
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default ->
                throw ValidationException.field(
                        name,
                        "Invalid enum value. Expected 'true' | 'false', received '"
                                + (value.length() > 20 ? value.substring(0, 20) + "…" : value) + "'");
        };
    }

    /** The loose form some flags accept (folder {@code recursive}): also 1/0/yes/no. */
    public static boolean parseLoose(String name, String value, boolean defaultValue) {
        if (value == null) {
            return defaultValue;
        }
        return switch (value.toLowerCase()) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw ValidationException.field(name, "Expected a boolean");
        };
    }
}
