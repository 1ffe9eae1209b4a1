package dev.keyhaven.server.project;

import dev.keyhaven.server.access.ProjectAction;
import dev.keyhaven.server.access.ProjectPermission;
import dev.keyhaven.server.access.ProjectSubject;
import dev.keyhaven.server.access.ProjectTrustedIpService;
import dev.keyhaven.server.actor.Actor;
import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Project trusted IPs under both of Infisical's paths, {@code /api/v1/workspace/:id/trusted-ips}
 * (older clients) and {@code /api/v1/projects/:id/trusted-ips}.
 */
@RestController
public class TrustedIpController {
    private static final String OLD = "/api/v1/workspace/{projectId}/trusted-ips";
    private static final String NEW = "/api/v1/projects/{projectId}/trusted-ips";
    private final ProjectService projects;
    private final ProjectTrustedIpService trustedIps;

    public TrustedIpController(ProjectService projects, ProjectTrustedIpService trustedIps) {
        this.projects = projects;
        this.trustedIps = trustedIps;
    }

    @GetMapping({OLD, NEW})
    @ProjectPermission(subject = ProjectSubject.IP_ALLOWLIST, actions = ProjectAction.READ)
    public Map<String, Object> list(Actor actor, @PathVariable String projectId) {
        Project p = projects.resolve(actor, projectId, null);
        return Map.of("trustedIps", trustedIps.list(actor, p.id()));
    }

    @PostMapping({OLD, NEW})
    @ProjectPermission(subject = ProjectSubject.IP_ALLOWLIST, actions = ProjectAction.CREATE)
    public Map<String, Object> create(
            Actor actor, @PathVariable String projectId, @RequestBody ProjectTrustedIpService.Input body) {
        Project p = projects.resolve(actor, projectId, null);
        return Map.of("trustedIp", trustedIps.create(actor, p.id(), p.name(), body));
    }

    @PatchMapping({OLD + "/{trustedIpId}", NEW + "/{trustedIpId}"})
    @ProjectPermission(subject = ProjectSubject.IP_ALLOWLIST, actions = ProjectAction.EDIT)
    public Map<String, Object> update(
            Actor actor,
            @PathVariable String projectId,
            @PathVariable String trustedIpId,
            @RequestBody ProjectTrustedIpService.Input body) {
        Project p = projects.resolve(actor, projectId, null);
        return Map.of("trustedIp", trustedIps.update(actor, p.id(), p.name(), trustedIpId, body));
    }

    @DeleteMapping({OLD + "/{trustedIpId}", NEW + "/{trustedIpId}"})
    @ProjectPermission(subject = ProjectSubject.IP_ALLOWLIST, actions = ProjectAction.DELETE)
    public Map<String, Object> delete(Actor actor, @PathVariable String projectId, @PathVariable String trustedIpId) {
        Project p = projects.resolve(actor, projectId, null);
        return Map.of("trustedIp", trustedIps.delete(actor, p.id(), p.name(), trustedIpId));
    }
}
