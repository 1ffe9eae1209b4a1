package dev.keyhaven.server.auditstream;

import dev.keyhaven.server.platform.log.Redaction;
import java.util.List;

/**
 * A stream's credentials as a create or update request gives them (Infisical's {@code credentials}
 * object): {@code url} and {@code headers} for a custom stream; {@code hostname}, {@code port},
 * {@code tls} and {@code caCert} for syslog. On update a missing field keeps its value, and a
 * header whose value is the mask {@code ******} keeps the stored value of that header.
 */
public record StreamInput(
        String url, List<StreamHeader> headers, String hostname, Integer port, Boolean tls, String caCert) {
    @Override
    public String toString() {
        return Redaction.toString(this);
    }
}
