package dev.keyhaven.server.platform.db;

import java.util.UUID;

/** Row identifiers: random UUIDs as text, the same on SQLite and PostgreSQL. */
public final class Ids {
    private Ids() {}

    public static String newId() {
        return UUID.randomUUID().toString();
    }

    /** True when the value has the shape of an id we issue, so malformed ids fail fast with 404. */
    public static boolean looksLikeId(String value) {
        if (value == null || value.length() != 36) {
            return false;
        }
        try {
            UUID.fromString(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
