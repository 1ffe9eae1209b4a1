package dev.keyhaven.server.platform.db;

/**
 * The two databases Keyhaven runs on. The same SQL serves both wherever it can; the few
 * differences (for now, the migration folder) are named here rather than scattered.
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
