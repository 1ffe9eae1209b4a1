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
        Integer loginRatePerIdentity,
        String gcpJwksUrl,
        String gcpServiceAccountKeysUrl,
        String azureLoginUrl,
        String awsStsEndpointTemplate) {

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
        if (awsStsEndpointTemplate != null && awsStsEndpointTemplate.isBlank()) {
            awsStsEndpointTemplate = null;
        }
    }

    /** The JDBC URL in force: the configured one, or a SQLite file inside the data directory. */
    public String effectiveDbUrl() {
        return dbUrl != null
                ? dbUrl
                : "jdbc:sqlite:" + dataDir.resolve("keyhaven.db").toAbsolutePath();
    }

    /** Logins per minute from one address (default 1,200; 0 turns the limit off). */
    public int loginRatePerIpOrDefault() {
        return loginRatePerIp == null ? 1200 : loginRatePerIp;
    }

    /** Logins per minute for one identity or client id (default 300; 0 turns the limit off). */
    public int loginRatePerIdentityOrDefault() {
        return loginRatePerIdentity == null ? 300 : loginRatePerIdentity;
    }

    /** Google's ID-token keys (GCP auth, type {@code gce}); tests point it at a loopback stand-in. */
    public String gcpJwksUrlOrDefault() {
        return orDefault(gcpJwksUrl, "https://www.googleapis.com/oauth2/v3/certs");
    }

    /** The base a service-account email is appended to for its JWKS (GCP auth, type {@code iam}). */
    public String gcpServiceAccountKeysUrlOrDefault() {
        return orDefault(gcpServiceAccountKeysUrl, "https://www.googleapis.com/service_accounts/v1/metadata/jwk/");
    }

    /** Microsoft Entra ID's login host, where tenant keys are published (Azure auth). */
    public String azureLoginUrlOrDefault() {
        return orDefault(azureLoginUrl, "https://login.microsoftonline.com");
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.trim();
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
