package dev.keyhaven.server.auditstream;

import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgPermission;
import dev.keyhaven.server.access.OrgSubject;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.platform.json.Iso;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Infisical's audit log stream routes, {@code /api/v1/audit-log-streams}: the provider options, the
 * organization's streams, and create, read, update and delete per provider ({@code custom}, and
 * {@code syslog} on the same pattern). A stream is answered as {@code {id, orgId, provider,
 * createdAt, updatedAt, credentials}} with the credentials' secret parts masked.
 */
@RestController
public class AuditStreamController {
    private static final String BASE = "/api/v1/audit-log-streams";

    /** The request body of create and update. */
    public record Body(StreamInput credentials) {}

    private final AuditStreamService streams;

    public AuditStreamController(AuditStreamService streams) {
        this.streams = streams;
    }

    @GetMapping(BASE + "/options")
    @OrgPermission(subject = OrgSubject.SETTINGS, actions = OrgAction.READ)
    public Map<String, Object> options(Actor actor) {
        return Map.of(
                "providerOptions",
                streams.options(actor).stream()
                        .map(p -> Map.of("name", p.label(), "provider", p.wire()))
                        .toList());
    }

    @GetMapping(BASE)
    @OrgPermission(subject = OrgSubject.SETTINGS, actions = OrgAction.READ)
    public Map<String, Object> list(Actor actor) {
        return Map.of(
                "auditLogStreams",
                streams.list(actor).stream().map(AuditStreamController::json).toList());
    }

    @PostMapping(BASE + "/{provider}")
    @OrgPermission(subject = OrgSubject.SETTINGS, actions = OrgAction.CREATE)
    public Map<String, Object> create(
            Actor actor, @PathVariable String provider, @RequestBody(required = false) Body body) {
        return one(streams.create(actor, provider, body == null ? null : body.credentials()));
    }

    @GetMapping(BASE + "/{provider}/{logStreamId}")
    @OrgPermission(subject = OrgSubject.SETTINGS, actions = OrgAction.READ)
    public Map<String, Object> get(Actor actor, @PathVariable String provider, @PathVariable String logStreamId) {
        return one(streams.get(actor, provider, logStreamId));
    }

    @PatchMapping(BASE + "/{provider}/{logStreamId}")
    @OrgPermission(subject = OrgSubject.SETTINGS, actions = OrgAction.EDIT)
    public Map<String, Object> update(
            Actor actor,
            @PathVariable String provider,
            @PathVariable String logStreamId,
            @RequestBody(required = false) Body body) {
        return one(streams.update(actor, provider, logStreamId, body == null ? null : body.credentials()));
    }

    @DeleteMapping(BASE + "/{provider}/{logStreamId}")
    @OrgPermission(subject = OrgSubject.SETTINGS, actions = OrgAction.DELETE)
    public Map<String, Object> delete(Actor actor, @PathVariable String provider, @PathVariable String logStreamId) {
        return one(streams.delete(actor, provider, logStreamId));
    }

    private static Map<String, Object> one(AuditStream s) {
        return Map.of("auditLogStream", json(s));
    }

    static Map<String, Object> json(AuditStream s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("orgId", s.orgId());
        m.put("provider", s.provider());
        m.put("createdAt", Iso.of(s.createdAt()));
        m.put("updatedAt", Iso.of(s.updatedAt()));
        Map<String, Object> c = new LinkedHashMap<>();
        if (s.provider().equals(StreamProvider.CUSTOM.wire())) {
            c.put("url", s.url());
            c.put(
                    "headers",
                    s.headerKeys().stream()
                            .map(k -> Map.of("key", k, "value", AuditStreamService.MASK))
                            .toList());
        } else {
            c.put("hostname", s.host());
            c.put("port", s.port());
            c.put("tls", s.tls());
            c.put("caCert", s.caCert());
        }
        m.put("credentials", c);
        return m;
    }
}
