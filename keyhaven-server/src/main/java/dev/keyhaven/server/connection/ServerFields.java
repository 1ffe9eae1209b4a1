package dev.keyhaven.server.connection;

import dev.keyhaven.server.platform.web.ValidationException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads {@code username-and-password} credentials from a request and refuses what can never work
 * or could change how the driver connects: a host is a DNS name or an IP literal, a database name
 * is a plain identifier (it goes into a JDBC URL, so no {@code ?} or {@code &} can add driver
 * options), and TLS is refused until it can be verified against the checked address.
 */
final class ServerFields {
    static final int MAX_PASSWORD = 1024;
    private static final Pattern HOST =
            Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})|\\[?[0-9A-Fa-f:.]{2,45}\\]?");
    private static final Pattern DATABASE = Pattern.compile("[A-Za-z0-9_$-]{1,63}");

    private ServerFields() {}

    static ServerCredentials parse(Map<String, Object> raw, boolean needsDatabase) {
        if (raw == null) {
            throw ValidationException.required("credentials");
        }
        String host = text(raw, "host", 253);
        if (!HOST.matcher(host).matches()) {
            throw ValidationException.field("credentials.host", "Must be a host name or an IP address");
        }
        int port = port(raw.get("port"));
        String database = null;
        if (needsDatabase) {
            database = text(raw, "database", 63);
            if (!DATABASE.matcher(database).matches()) {
                throw ValidationException.field(
                        "credentials.database", "Must be letters, digits, '_', '-' or '$' (at most 63)");
            }
        }
        String username = text(raw, "username", 128);
        if (username.chars().anyMatch(Character::isISOControl)) {
            throw ValidationException.field("credentials.username", "Must not contain control characters");
        }
        Object pw = raw.get("password");
        if (!(pw instanceof String password) || password.isEmpty()) {
            throw ValidationException.required("credentials.password");
        }
        if (password.length() > MAX_PASSWORD) {
            throw ValidationException.field("credentials.password", "Must be at most " + MAX_PASSWORD + " characters");
        }
        boolean ssl = flag(raw, "sslEnabled", false);
        boolean reject = flag(raw, "sslRejectUnauthorized", true);
        Object cert = raw.get("sslCertificate");
        if (ssl) {
            throw ValidationException.field(
                    "credentials.sslEnabled", "TLS to the target is not supported yet; set sslEnabled to false");
        }
        String certificate = cert instanceof String s && !s.isBlank() ? s.strip() : null;
        if (certificate != null) {
            throw ValidationException.field(
                    "credentials.sslCertificate", "Only used with TLS, which is not supported yet");
        }
        return new ServerCredentials(host, port, database, username, password, false, reject, null);
    }

    private static String text(Map<String, Object> raw, String field, int max) {
        Object v = raw.get(field);
        if (!(v instanceof String s) || s.strip().isEmpty()) {
            throw ValidationException.required("credentials." + field);
        }
        String t = s.strip();
        if (t.length() > max) {
            throw ValidationException.field("credentials." + field, "Must be at most " + max + " characters");
        }
        return t;
    }

    private static int port(Object v) {
        int port;
        if (v instanceof Number n && n.doubleValue() == n.intValue()) {
            port = n.intValue();
        } else if (v instanceof String s && s.strip().matches("\\d{1,5}")) {
            port = Integer.parseInt(s.strip());
        } else if (v == null) {
            throw ValidationException.required("credentials.port");
        } else {
            throw ValidationException.field("credentials.port", "Must be a port number");
        }
        if (port < 1 || port > 65535) {
            throw ValidationException.field("credentials.port", "Must be between 1 and 65535");
        }
        return port;
    }

    private static boolean flag(Map<String, Object> raw, String field, boolean fallback) {
        Object v = raw.get(field);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw ValidationException.invalidType(
                "credentials." + field, "boolean", v.getClass().getSimpleName());
    }
}
