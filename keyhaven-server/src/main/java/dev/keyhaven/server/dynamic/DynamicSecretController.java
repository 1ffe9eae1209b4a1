package dev.keyhaven.server.dynamic;

import dev.keyhaven.server.access.ProjectAction;
import dev.keyhaven.server.access.ProjectPermission;
import dev.keyhaven.server.access.ProjectSubject;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.platform.json.Iso;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/dynamic-secrets} (Infisical's routes and fields): create, list, read, change and
 * delete a configuration, and list its leases. Inputs come back without the password.
 */
@RestController
public class DynamicSecretController {
    private static final String BASE = "/api/v1/dynamic-secrets";
    private final DynamicSecretService secrets;
    private final LeaseService leases;

    public DynamicSecretController(DynamicSecretService secrets, LeaseService leases) {
        this.secrets = secrets;
        this.leases = leases;
    }

    /** The PATCH body: where, and {@code data}. */
    public record UpdateBody(
            String projectSlug, String environmentSlug, String path, DynamicSecretService.Change data) {}

    /** The DELETE body. */
    public record DeleteBody(String projectSlug, String environmentSlug, String path, Boolean isForced) {}

    @PostMapping(BASE)
    @ProjectPermission(subject = ProjectSubject.DYNAMIC_SECRETS, actions = ProjectAction.CREATE_ROOT_CREDENTIAL)
    public Map<String, Object> create(Actor actor, @RequestBody DynamicSecretService.Create body) {
        return Map.of("dynamicSecret", json(secrets.create(actor, body)));
    }

    @GetMapping(BASE)
    @ProjectPermission(subject = ProjectSubject.DYNAMIC_SECRETS, actions = ProjectAction.READ_ROOT_CREDENTIAL)
    public Map<String, Object> list(
            Actor actor,
            @RequestParam(required = false) String projectSlug,
            @RequestParam(required = false) String environmentSlug,
            @RequestParam(required = false) String path) {
        return Map.of(
                "dynamicSecrets",
                secrets.list(actor, new DynamicSecretService.Where(projectSlug, environmentSlug, path)).stream()
                        .map(DynamicSecretController::json)
                        .toList());
    }

    @GetMapping(BASE + "/{name}")
    @ProjectPermission(subject = ProjectSubject.DYNAMIC_SECRETS, actions = ProjectAction.READ_ROOT_CREDENTIAL)
    public Map<String, Object> get(
            Actor actor,
            @PathVariable String name,
            @RequestParam(required = false) String projectSlug,
            @RequestParam(required = false) String environmentSlug,
            @RequestParam(required = false) String path) {
        return Map.of(
                "dynamicSecret",
                json(secrets.get(actor, name, new DynamicSecretService.Where(projectSlug, environmentSlug, path))));
    }

    @PatchMapping(BASE + "/{name}")
    @ProjectPermission(subject = ProjectSubject.DYNAMIC_SECRETS, actions = ProjectAction.EDIT_ROOT_CREDENTIAL)
    public Map<String, Object> update(Actor actor, @PathVariable String name, @RequestBody UpdateBody body) {
        return Map.of(
                "dynamicSecret",
                json(secrets.update(
                        actor,
                        name,
                        new DynamicSecretService.Where(body.projectSlug(), body.environmentSlug(), body.path()),
                        body.data())));
    }

    @DeleteMapping(BASE + "/{name}")
    @ProjectPermission(subject = ProjectSubject.DYNAMIC_SECRETS, actions = ProjectAction.DELETE_ROOT_CREDENTIAL)
    public Map<String, Object> delete(Actor actor, @PathVariable String name, @RequestBody DeleteBody body) {
        return Map.of(
                "dynamicSecret",
                json(secrets.delete(
                        actor,
                        name,
                        new DynamicSecretService.Where(body.projectSlug(), body.environmentSlug(), body.path()),
                        Boolean.TRUE.equals(body.isForced()))));
    }

    @GetMapping(BASE + "/{name}/leases")
    @ProjectPermission(subject = ProjectSubject.DYNAMIC_SECRETS, actions = ProjectAction.LEASE)
    public Map<String, Object> leases(
            Actor actor,
            @PathVariable String name,
            @RequestParam(required = false) String projectSlug,
            @RequestParam(required = false) String environmentSlug,
            @RequestParam(required = false) String path) {
        List<LeaseService.Lease> list =
                leases.list(actor, name, new DynamicSecretService.Where(projectSlug, environmentSlug, path));
        return Map.of("leases", list.stream().map(LeaseController::json).toList());
    }

    static Map<String, Object> json(DynamicSecretService.DynamicSecret d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("name", d.name());
        m.put("type", d.type());
        m.put("version", d.version());
        m.put("defaultTTL", Ttl.format(d.defaultTtl()));
        m.put("maxTTL", d.maxTtl() == null ? null : Ttl.format(d.maxTtl()));
        m.put("folderId", null);
        m.put("environment", d.environment());
        m.put("path", d.path());
        m.put("status", null);
        m.put("statusDetails", null);
        m.put("inputs", d.inputs());
        m.put("metadata", List.of());
        m.put("createdAt", Iso.of(d.createdAt()));
        m.put("updatedAt", Iso.of(d.updatedAt()));
        return m;
    }
}
