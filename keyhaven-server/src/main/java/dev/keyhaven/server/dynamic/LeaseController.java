package dev.keyhaven.server.dynamic;

import dev.keyhaven.server.access.ProjectAction;
import dev.keyhaven.server.access.ProjectPermission;
import dev.keyhaven.server.access.ProjectSubject;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.platform.json.Iso;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/dynamic-secrets/leases}: issue a lease (the credential is in {@code data}, shown
 * once), read, renew and revoke one. All of it is the project permission {@code dynamic-secrets}
 * {@code lease}.
 */
@RestController
public class LeaseController {
    private static final String BASE = "/api/v1/dynamic-secrets/leases";
    private final LeaseService leases;

    public LeaseController(LeaseService leases) {
        this.leases = leases;
    }

    /** The create body. */
    public record CreateBody(
            String dynamicSecretName, String projectSlug, String environmentSlug, String path, String ttl) {}

    /** The renew body. */
    public record RenewBody(String projectSlug, String environmentSlug, String path, String ttl) {}

    /** The revoke body. */
    public record RevokeBody(String projectSlug, String environmentSlug, String path, Boolean isForced) {}

    @PostMapping(BASE)
    @ProjectPermission(subject = ProjectSubject.DYNAMIC_SECRETS, actions = ProjectAction.LEASE)
    public Map<String, Object> create(Actor actor, @RequestBody CreateBody body) {
        LeaseService.Issued issued = leases.create(
                actor,
                body.dynamicSecretName(),
                new DynamicSecretService.Where(body.projectSlug(), body.environmentSlug(), body.path()),
                body.ttl());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lease", json(issued.lease()));
        m.put("dynamicSecret", DynamicSecretController.json(issued.dynamicSecret()));
        m.put("data", issued.data());
        return m;
    }

    @GetMapping(BASE + "/{leaseId}")
    @ProjectPermission(subject = ProjectSubject.DYNAMIC_SECRETS, actions = ProjectAction.LEASE)
    public Map<String, Object> get(
            Actor actor,
            @PathVariable String leaseId,
            @RequestParam(required = false) String projectSlug,
            @RequestParam(required = false) String environmentSlug,
            @RequestParam(required = false) String path) {
        LeaseService.Found found =
                leases.get(actor, leaseId, new DynamicSecretService.Where(projectSlug, environmentSlug, path));
        Map<String, Object> lease = json(found.lease());
        lease.put("dynamicSecret", DynamicSecretController.json(found.dynamicSecret()));
        return Map.of("lease", lease);
    }

    @PostMapping(BASE + "/{leaseId}/renew")
    @ProjectPermission(subject = ProjectSubject.DYNAMIC_SECRETS, actions = ProjectAction.LEASE)
    public Map<String, Object> renew(Actor actor, @PathVariable String leaseId, @RequestBody RenewBody body) {
        return Map.of(
                "lease",
                json(leases.renew(
                        actor,
                        leaseId,
                        new DynamicSecretService.Where(body.projectSlug(), body.environmentSlug(), body.path()),
                        body.ttl())));
    }

    @DeleteMapping(BASE + "/{leaseId}")
    @ProjectPermission(subject = ProjectSubject.DYNAMIC_SECRETS, actions = ProjectAction.LEASE)
    public Map<String, Object> revoke(Actor actor, @PathVariable String leaseId, @RequestBody RevokeBody body) {
        return Map.of(
                "lease",
                json(leases.revoke(
                        actor,
                        leaseId,
                        new DynamicSecretService.Where(body.projectSlug(), body.environmentSlug(), body.path()),
                        Boolean.TRUE.equals(body.isForced()))));
    }

    static Map<String, Object> json(LeaseService.Lease l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", l.id());
        m.put("version", l.version());
        m.put("externalEntityId", l.externalEntityId());
        m.put("expireAt", Iso.of(l.expireAt()));
        m.put("status", l.status());
        m.put("statusDetails", l.statusDetails());
        m.put("dynamicSecretId", l.dynamicSecretId());
        m.put("createdAt", Iso.of(l.createdAt()));
        m.put("updatedAt", Iso.of(l.updatedAt()));
        return m;
    }
}
