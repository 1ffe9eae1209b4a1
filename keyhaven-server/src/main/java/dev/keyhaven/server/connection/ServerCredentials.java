package dev.keyhaven.server.connection;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code username-and-password} credentials of a database or Redis server, as Infisical names
 * them. {@code database} is absent for Redis. Only {@link #visible()} is ever answered.
 */
public record ServerCredentials(
        String host,
        int port,
        String database,
        String username,
        String password,
        boolean sslEnabled,
        boolean sslRejectUnauthorized,
        String sslCertificate) {

    /**
     * Reads credentials from a request's fields ({@code host, port, database, username, password,
     * sslEnabled, sslRejectUnauthorized, sslCertificate}), refusing what can never work (422).
     */
    public static ServerCredentials parse(Map<String, Object> raw, boolean needsDatabase) {
        return ServerFields.parse(raw, needsDatabase);
    }

    /** The fields a caller may see again: everything but the password. */
    public Map<String, Object> visible() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", host);
        m.put("port", port);
        if (database != null) {
            m.put("database", database);
        }
        m.put("username", username);
        m.put("sslEnabled", sslEnabled);
        m.put("sslRejectUnauthorized", sslRejectUnauthorized);
        if (sslCertificate != null) {
            m.put("sslCertificate", sslCertificate);
        }
        return m;
    }

    @Override
    public String toString() {
        return "ServerCredentials[host=" + host + ", port=" + port + ", database=" + database + ", username=" + username
                + ", password=<hidden>]";
    }
}
