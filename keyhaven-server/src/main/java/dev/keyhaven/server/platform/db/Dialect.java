package dev.keyhaven.server.platform.db;

/**
 * The two databases Keyhaven runs on. The same SQL serves both wherever it can; the few
 * differences (migration folder, row locking) are named here rather than scattered.
 */
public enum Dialect {
    SQLITE("sqlite"),
    POSTGRESQL("postgresql");

    private final String migrationFolder;

    Dialect(String migrationFolder) {
        this.migrationFolder = migrationFolder;
    }

    public String migrationLocation() {
        return "classpath:db/migration/" + migrationFolder;
    }

    /** Flyway locations: the shared schema plus this database's own additions. */
    public String[] migrationLocations() {
        return new String[] {"classpath:db/migration/common", migrationLocation()};
    }

    /** Suffix that locks selected rows for the transaction; SQLite already holds the write lock. */
    public String forUpdate() {
        return this == POSTGRESQL ? " FOR UPDATE" : "";
    }

    public static Dialect fromUrl(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("KEYHAVEN_DB_URL must start with jdbc:sqlite: or jdbc:postgresql:");
    }
}
