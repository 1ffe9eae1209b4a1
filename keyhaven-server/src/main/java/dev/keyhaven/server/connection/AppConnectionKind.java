package dev.keyhaven.server.connection;

/**
 * One kind of app a connection can hold credentials for (PostgreSQL, MySQL/MariaDB, Redis): the
 * {@code :app} of {@code /api/v1/app-connections/:app}. The platform parses and seals the
 * credentials, checks permissions, shares and audits; a kind only says what it needs and proves
 * the credentials work by connecting through the {@link Dialer} it is given. A kind is a Spring
 * bean, found by {@link #app()}.
 */
public interface AppConnectionKind {
    /** The app in routes and rows, e.g. {@code postgres}. */
    String app();

    /** How it is called in messages, e.g. {@code PostgreSQL}. */
    String label();

    /** Whether the credentials name a database (SQL servers do, Redis does not). */
    boolean needsDatabase();

    /**
     * Connects with the credentials through {@code dialer} and runs a harmless command; throws
     * {@link ConnectionException} naming what failed (never echoing a credential).
     */
    void verify(ServerCredentials credentials, Dialer dialer);
}
