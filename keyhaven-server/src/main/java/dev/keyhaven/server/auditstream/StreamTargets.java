package dev.keyhaven.server.auditstream;

import dev.keyhaven.server.crypto.Keyring;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * A stored stream's two halves: the configuration (JSON, shown to admins) and the headers (sealed
 * under the org key, bound to the stream's id, opened only to deliver). The service writes rows
 * through it and the destinations read where to deliver; it depends on nothing that records audit
 * events, so the destinations can be built before the audit log that feeds them.
 */
@Component
class StreamTargets {
    private static final TypeReference<List<StreamHeader>> HEADERS = new TypeReference<>() {};

    /** The stored, non-secret part of a stream. */
    record Config(String url, List<String> headerKeys, String host, Integer port, Boolean tls, String caCert) {}

    /** Where a custom stream delivers, with its opened headers. */
    record HttpTarget(String url, List<StreamHeader> headers) {}

    /** Where a syslog stream delivers. */
    record SyslogTarget(String host, int port, boolean tls, String caCert) {}

    private final AuditStreamStore store;
    private final Keyring keyring;
    private final ObjectMapper json;

    StreamTargets(AuditStreamStore store, Keyring keyring, ObjectMapper json) {
        this.store = store;
        this.keyring = keyring;
        this.json = json;
    }

    /** A custom stream's URL and opened headers, or empty when the stream is gone. */
    Optional<HttpTarget> http(String id) {
        return store.find(id)
                .filter(r -> r.provider().equals(StreamProvider.CUSTOM.wire()))
                .map(r -> new HttpTarget(config(r).url(), headers(r)));
    }

    /** A syslog stream's receiver, or empty when the stream is gone. */
    Optional<SyslogTarget> syslog(String id) {
        return store.find(id)
                .filter(r -> r.provider().equals(StreamProvider.SYSLOG.wire()))
                .map(r -> {
                    Config c = config(r);
                    return new SyslogTarget(c.host(), c.port(), Boolean.TRUE.equals(c.tls()), c.caCert());
                });
    }

    AuditStreamStore.Row row(
            String orgId,
            String id,
            StreamProvider p,
            Config config,
            List<StreamHeader> headers,
            long created,
            long updated) {
        String sealed =
                headers.isEmpty() ? null : keyring.sealForOrg(orgId, purpose(id), json.writeValueAsString(headers));
        return new AuditStreamStore.Row(id, orgId, p.wire(), json.writeValueAsString(config), sealed, created, updated);
    }

    Config config(AuditStreamStore.Row r) {
        return json.readValue(r.config(), Config.class);
    }

    List<StreamHeader> headers(AuditStreamStore.Row r) {
        return r.credentials() == null
                ? List.of()
                : json.readValue(keyring.openForOrg(r.orgId(), purpose(r.id()), r.credentials()), HEADERS);
    }

    private static String purpose(String streamId) {
        return "audit-log-stream:" + streamId + ":headers";
    }
}
