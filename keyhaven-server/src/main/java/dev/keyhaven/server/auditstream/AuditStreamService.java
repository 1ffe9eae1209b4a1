package dev.keyhaven.server.auditstream;

import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgSubject;
import dev.keyhaven.server.access.PermissionService;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.audit.AuditEvent;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.audit.AuditLog;
import dev.keyhaven.server.platform.db.Ids;
import dev.keyhaven.server.platform.outbound.OutboundHttp;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.platform.web.ValidationException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An organization's audit log streams: created, listed, changed and removed by whoever may manage
 * the organization's settings (Infisical checks the same subject). A destination is checked
 * against the outbound allow-list when it is saved (and again by each delivery); header values
 * are sealed under the org key and never answered. Every change is audited and makes the audit
 * sink see the new list of streams once it commits.
 */
@Service
public class AuditStreamService {
    /** What an update sends to keep a header's stored value, and what a read shows instead of it. */
    public static final String MASK = "******";

    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}]");
    private static final Set<String> RESERVED_HEADERS =
            Set.of("host", "content-length", "content-type", "connection", "expect", "upgrade", "transfer-encoding");

    private final AuditStreamStore store;
    private final StreamDirectory directory;
    private final PermissionService permissions;
    private final AuditLog audit;
    private final StreamTargets targets;
    private final OutboundHttp outbound;
    private final TransactionTemplate tx;
    private final Clock clock;

    AuditStreamService(
            AuditStreamStore store,
            StreamDirectory directory,
            PermissionService permissions,
            AuditLog audit,
            StreamTargets targets,
            OutboundHttp outbound,
            TransactionTemplate tx,
            Clock clock) {
        this.store = store;
        this.directory = directory;
        this.permissions = permissions;
        this.audit = audit;
        this.targets = targets;
        this.outbound = outbound;
        this.tx = tx;
        this.clock = clock;
    }

    public List<StreamProvider> options(Actor actor) {
        permissions.org(actor).require(OrgSubject.SETTINGS, OrgAction.READ);
        return List.of(StreamProvider.values());
    }

    public List<AuditStream> list(Actor actor) {
        permissions.org(actor).require(OrgSubject.SETTINGS, OrgAction.READ);
        return store.list(actor.orgId()).stream().map(this::view).toList();
    }

    public AuditStream get(Actor actor, String provider, String id) {
        permissions.org(actor).require(OrgSubject.SETTINGS, OrgAction.READ);
        return view(existing(actor, provider(provider), id));
    }

    public AuditStream create(Actor actor, String provider, StreamInput input) {
        permissions.org(actor).require(OrgSubject.SETTINGS, OrgAction.CREATE);
        StreamProvider p = provider(provider);
        String id = Ids.newId();
        long now = clock.millis();
        Checked c = checked(p, input);
        AuditStreamStore.Row row = targets.row(actor.orgId(), id, p, c.config(), c.headers(), now, now);
        return tx.execute(s -> {
            store.insert(row);
            recordChange(actor, AuditEventType.CREATE_AUDIT_LOG_STREAM, row);
            return view(row);
        });
    }

    public AuditStream update(Actor actor, String provider, String id, StreamInput given) {
        permissions.org(actor).require(OrgSubject.SETTINGS, OrgAction.EDIT);
        StreamInput input = given != null ? given : new StreamInput(null, null, null, null, null, null);
        StreamProvider p = provider(provider);
        return tx.execute(s -> {
            AuditStreamStore.Row old = existing(actor, p, id);
            StreamTargets.Config before = targets.config(old);
            List<StreamHeader> oldHeaders = targets.headers(old);
            StreamInput merged = new StreamInput(
                    input.url() != null ? input.url() : before.url(),
                    input.headers() != null ? keepMasked(input.headers(), oldHeaders) : oldHeaders,
                    input.hostname() != null ? input.hostname() : before.host(),
                    input.port() != null ? input.port() : before.port(),
                    input.tls() != null ? input.tls() : before.tls(),
                    input.caCert() != null ? input.caCert() : before.caCert());
            Checked c = checked(p, merged);
            AuditStreamStore.Row row =
                    targets.row(old.orgId(), old.id(), p, c.config(), c.headers(), old.createdAt(), clock.millis());
            store.update(row);
            recordChange(actor, AuditEventType.UPDATE_AUDIT_LOG_STREAM, row);
            return view(row);
        });
    }

    public AuditStream delete(Actor actor, String provider, String id) {
        permissions.org(actor).require(OrgSubject.SETTINGS, OrgAction.DELETE);
        StreamProvider p = provider(provider);
        return tx.execute(s -> {
            AuditStreamStore.Row old = existing(actor, p, id);
            store.delete(old.orgId(), old.id());
            recordChange(actor, AuditEventType.DELETE_AUDIT_LOG_STREAM, old);
            return view(old);
        });
    }

    private void recordChange(Actor actor, AuditEventType type, AuditStreamStore.Row row) {
        StreamTargets.Config c = targets.config(row);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("logStreamId", row.id());
        meta.put("provider", row.provider());
        meta.put("destination", c.url() != null ? c.url() : c.host() + ":" + c.port());
        audit.record(AuditEvent.of(actor, null, null, type, meta));
        directory.changed(row.orgId());
    }

    private AuditStreamStore.Row existing(Actor actor, StreamProvider p, String id) {
        return store.find(actor.orgId(), id)
                .filter(r -> r.provider().equals(p.wire()))
                .orElseThrow(() -> ApiException.notFound("Audit log stream with ID '" + id + "' not found"));
    }

    private static StreamProvider provider(String wire) {
        return StreamProvider.of(wire)
                .orElseThrow(() -> ApiException.notFound(
                        "Audit log stream provider '" + wire + "' is not supported; supported: custom, syslog"));
    }

    /** The validated input as a row's config and credentials. */
    private record Checked(StreamTargets.Config config, List<StreamHeader> headers) {}

    private Checked checked(StreamProvider p, StreamInput in) {
        if (in == null) {
            throw ValidationException.field("credentials", "Required");
        }
        return switch (p) {
            case CUSTOM -> {
                String url = checkedUrl(in.url());
                List<StreamHeader> headers = checkedHeaders(in.headers() == null ? List.of() : in.headers());
                yield new Checked(
                        new StreamTargets.Config(
                                url, headers.stream().map(StreamHeader::key).toList(), null, null, null, null),
                        headers);
            }
            case SYSLOG -> {
                String host = in.hostname() == null ? "" : in.hostname().strip();
                if (!HOST.matcher(host).matches()) {
                    throw ValidationException.field(
                            "hostname", "Must be a host name or address, without scheme, port or path");
                }
                int port = in.port() == null ? 0 : in.port();
                if (port < 1 || port > 65535) {
                    throw ValidationException.field("port", "Must be between 1 and 65535");
                }
                boolean tls = in.tls() == null || in.tls();
                String ca = in.caCert() == null || in.caCert().isBlank() ? null : in.caCert();
                if (ca != null) {
                    if (!tls) {
                        throw ValidationException.field("caCert", "Only with tls");
                    }
                    try {
                        OutboundHttp.checkCaCert(ca);
                    } catch (OutboundHttp.OutboundException e) {
                        throw ValidationException.field("caCert", "Must be PEM certificates");
                    }
                }
                reachable(() -> outbound.checkHost(host));
                yield new Checked(new StreamTargets.Config(null, null, host, port, tls, ca), List.of());
            }
        };
    }

    private String checkedUrl(String raw) {
        String url = raw == null ? "" : raw.strip();
        if (url.isEmpty() || url.length() > 255) {
            throw ValidationException.field("url", "Must be an http or https URL of at most 255 characters");
        }
        try {
            OutboundHttp.parseUrl(url);
        } catch (OutboundHttp.OutboundException e) {
            throw ValidationException.field("url", "Must be an http or https URL with a host and no user info");
        }
        reachable(() -> outbound.checkUrl(url));
        return url;
    }

    private static void reachable(Runnable check) {
        try {
            check.run();
        } catch (OutboundHttp.OutboundException e) {
            throw ApiException.badRequest("The stream's destination is refused: " + e.getMessage());
        }
    }

    private static List<StreamHeader> checkedHeaders(List<StreamHeader> headers) {
        if (headers.size() > 20) {
            throw ValidationException.field("headers", "At most 20 headers");
        }
        List<StreamHeader> out = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (StreamHeader h : headers) {
            String key = h == null || h.key() == null ? "" : h.key().strip();
            if (!HEADER_NAME.matcher(key).matches()) {
                throw ValidationException.field("headers", "A header name must be a non-empty token without spaces");
            }
            if (RESERVED_HEADERS.contains(key.toLowerCase(Locale.ROOT))) {
                throw ValidationException.field("headers", "The header " + key + " is set by the server");
            }
            if (!seen.add(key.toLowerCase(Locale.ROOT))) {
                throw ValidationException.field("headers", "The header " + key + " is given twice");
            }
            String value = h.value() == null ? "" : h.value();
            if (value.length() > 4096 || value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                throw ValidationException.field(
                        "headers", "A header value must be one line of at most 4096 characters");
            }
            out.add(new StreamHeader(key, value));
        }
        return out;
    }

    private static List<StreamHeader> keepMasked(List<StreamHeader> given, List<StreamHeader> stored) {
        List<StreamHeader> out = new ArrayList<>();
        for (StreamHeader h : given) {
            if (h != null && MASK.equals(h.value())) {
                StreamHeader old = stored.stream()
                        .filter(s -> s.key()
                                .equalsIgnoreCase(h.key() == null ? "" : h.key().strip()))
                        .findFirst()
                        .orElseThrow(() -> ValidationException.field(
                                "headers", "The header " + h.key() + " has no stored value to keep"));
                out.add(new StreamHeader(h.key(), old.value()));
            } else {
                out.add(h);
            }
        }
        return out;
    }

    private AuditStream view(AuditStreamStore.Row r) {
        StreamTargets.Config c = targets.config(r);
        return new AuditStream(
                r.id(),
                r.orgId(),
                r.provider(),
                c.url(),
                c.headerKeys() == null ? List.of() : c.headerKeys(),
                c.host(),
                c.port(),
                c.tls(),
                c.caCert(),
                r.createdAt(),
                r.updatedAt());
    }
}
