package dev.keyhaven.server.auditstream;

import java.util.Arrays;
import java.util.Optional;

/**
 * The stream kinds this server delivers to: Infisical's generic {@code custom} HTTPS stream (a URL
 * and headers) and {@code syslog} (RFC 5424 over TCP or TLS, octet-counted as RFC 6587 describes).
 * Each has its own outbox destination, named {@code audit-stream-<provider>}.
 */
public enum StreamProvider {
    CUSTOM("custom", "Custom"),
    SYSLOG("syslog", "Syslog");

    private final String wire;
    private final String label;

    StreamProvider(String wire, String label) {
        this.wire = wire;
        this.label = label;
    }

    public String wire() {
        return wire;
    }

    public String label() {
        return label;
    }

    /** The outbox destination that delivers this kind's items. */
    public String destination() {
        return "audit-stream-" + wire;
    }

    public static Optional<StreamProvider> of(String wire) {
        return Arrays.stream(values()).filter(p -> p.wire.equals(wire)).findFirst();
    }
}
