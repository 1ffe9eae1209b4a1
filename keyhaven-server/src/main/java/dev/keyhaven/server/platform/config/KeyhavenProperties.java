package dev.keyhaven.server.platform.config;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Everything an operator configures, bound from {@code KEYHAVEN_*} environment variables
 * (or the matching {@code keyhaven.*} Spring properties). Defaults give a one-node instance
 * on an embedded SQLite file with a generated root key, so a bare {@code java -jar} works.
 */
@ConfigurationProperties("keyhaven")
public record KeyhavenProperties(
        Path dataDir,
        String dbUrl,
        String dbUser,
        String dbPassword,
        String rootKey,
        String siteUrl,
        Integer dbPoolSize,
        Boolean benchEndpoints,
        String outboundAllowlist,
        Integer loginRatePerIp,
        Integer loginRatePerIdentity) {

    public KeyhavenProperties {
        if (dataDir == null) {
            dataDir = Path.of("keyhaven-data");
        }
        if (dbUrl != null && dbUrl.isBlank()) {
            dbUrl = null;
        }
        if (rootKey != null && rootKey.isBlank()) {
            rootKey = null;
        }
    }

    /** The JDBC URL in force: the configured one, or a SQLite file inside the data directory. */
    public String effectiveDbUrl() {
        return dbUrl != null ? dbUrl : "jdbc:sqlite:" + dataDir.resolve("keyhaven.db").toAbsolutePath();
    }

    /** Logins per minute from one address (default 1,200; 0 turns the limit off). */
    public int loginRatePerIpOrDefault() {
        return loginRatePerIp == null ? 1200 : loginRatePerIp;
    }

    /** Logins per minute for one identity or client id (default 300; 0 turns the limit off). */
    public int loginRatePerIdentityOrDefault() {
        return loginRatePerIdentity == null ? 300 : loginRatePerIdentity;
    }

    public boolean benchEndpointsEnabled() {
        return Boolean.TRUE.equals(benchEndpoints);
    }

    @Override
    public String toString() {
        return "KeyhavenProperties[dataDir=" + dataDir + ", dbUrl=" + redactedDbUrl() + "]";
    }

    /** The database URL with any password parameter removed, safe for logs and error lines. */
    public String redactedDbUrl() {
        return effectiveDbUrl().replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
