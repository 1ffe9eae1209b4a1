package dev.keyhaven.server.project;

import dev.keyhaven.server.access.MembershipOnly;
import dev.keyhaven.server.access.PermissionExplainer;
import dev.keyhaven.server.access.PermissionScope;
import dev.keyhaven.server.access.ProjectAction;
import dev.keyhaven.server.access.ProjectPermission;
import dev.keyhaven.server.access.ProjectRoleService;
import dev.keyhaven.server.access.ProjectSubject;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.actor.ActorType;
import dev.keyhaven.server.identity.Identity;
import dev.keyhaven.server.identity.IdentityService;
import dev.keyhaven.server.platform.web.ApiException;
import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Custom project roles with V2 rules, at {@code /api/v2/workspace/:projectId/roles} (the path the
 * Terraform provider uses) and {@code /api/v1/projects/:projectId/roles}; built-in roles are listed
 * and readable by slug beside them.
 */
@RestController
public class ProjectRoleController {
    private final ProjectService projects;
    private final ProjectRoleService roles;
    private final PermissionExplainer explainer;

    private final IdentityService identities;

    public ProjectRoleController(
            ProjectService projects,
            ProjectRoleService roles,
            PermissionExplainer explainer,
            IdentityService identities) {
        this.projects = projects;
        this.roles = roles;
        this.explainer = explainer;
        this.identities = identities;
    }

    /**
     * Beyond Infisical: explains a permission decision (see docs/access-control.md). Asking about
     * oneself needs only membership; asking about another identity needs role and identity read.
     */
    @PostMapping("/api/v1/projects/{projectId}/permissions/explain")
    @MembershipOnly(PermissionScope.PROJECT)
    public Map<String, Object> explain(
            Actor actor, @PathVariable String projectId, @RequestBody PermissionExplainer.Question body) {
        Project p = projects.resolve(actor, projectId, null);
        Actor other = null;
        if (body.identityId() != null && !body.identityId().equals(actor.id())) {
            Identity identity = identities.load(actor, body.identityId());
            Map<String, String> metadata = new java.util.HashMap<>();
            identity.metadata()
                    .forEach(e -> metadata.put(String.valueOf(e.get("key")), String.valueOf(e.get("value"))));
            other = new Actor(
                    ActorType.IDENTITY,
                    identity.id(),
                    identity.name(),
                    null,
                    actor.orgId(),
                    null,
                    null,
                    actor.ipAddress(),
                    actor.userAgent(),
                    metadata);
        }
        return explainer.explain(actor, p.id(), body, other);
    }

    @PostMapping({"/api/v2/workspace/{projectId}/roles", "/api/v1/projects/{projectId}/roles"})
    @ProjectPermission(subject = ProjectSubject.ROLE, actions = ProjectAction.CREATE)
    public Map<String, Object> create(
            Actor actor, @PathVariable String projectId, @RequestBody ProjectRoleService.RoleBody body) {
        Project p = projects.resolve(actor, projectId, null);
        return Map.of("role", roles.create(actor, p.id(), p.name(), body));
    }

    @PatchMapping({"/api/v2/workspace/{projectId}/roles/{roleId}", "/api/v1/projects/{projectId}/roles/{roleId}"})
    @ProjectPermission(subject = ProjectSubject.ROLE, actions = ProjectAction.EDIT)
    public Map<String, Object> update(
            Actor actor,
            @PathVariable String projectId,
            @PathVariable String roleId,
            @RequestBody ProjectRoleService.RoleBody body) {
        Project p = projects.resolve(actor, projectId, null);
        return Map.of("role", roles.update(actor, p.id(), p.name(), roleId, body));
    }

    @DeleteMapping({"/api/v2/workspace/{projectId}/roles/{roleId}", "/api/v1/projects/{projectId}/roles/{roleId}"})
    @ProjectPermission(subject = ProjectSubject.ROLE, actions = ProjectAction.DELETE)
    public Map<String, Object> delete(Actor actor, @PathVariable String projectId, @PathVariable String roleId) {
        Project p = projects.resolve(actor, projectId, null);
        return Map.of("role", roles.delete(actor, p.id(), p.name(), roleId));
    }

    @GetMapping({"/api/v2/workspace/{projectId}/roles", "/api/v1/projects/{projectId}/roles"})
    @ProjectPermission(subject = ProjectSubject.ROLE, actions = ProjectAction.READ)
    public Map<String, Object> list(Actor actor, @PathVariable String projectId) {
        Project p = projects.resolve(actor, projectId, null);
        return Map.of("roles", roles.list(actor, p.id()));
    }

    @GetMapping({
        "/api/v2/workspace/{projectId}/roles/slug/{roleSlug}",
        "/api/v1/projects/{projectId}/roles/slug/{roleSlug}"
    })
    @ProjectPermission(subject = ProjectSubject.ROLE, actions = ProjectAction.READ)
    public Map<String, Object> getBySlug(Actor actor, @PathVariable String projectId, @PathVariable String roleSlug) {
        Project p = projects.resolve(actor, projectId, null);
        return Map.of("role", roles.getBySlug(actor, p.id(), roleSlug));
    }

    @GetMapping("/api/v1/projects/roles/{roleId}")
    @ProjectPermission(subject = ProjectSubject.ROLE, actions = ProjectAction.READ)
    public Map<String, Object> getById(Actor actor, @PathVariable String roleId) {
        String projectId = roles.projectOf(roleId)
                .orElseThrow(() -> ApiException.notFound("Role with ID " + roleId + " not found"));
        Project p;
        try {
            p = projects.resolve(actor, projectId, null);
        } catch (ApiException e) {
            throw ApiException.notFound("Role with ID " + roleId + " not found");
        }
        return Map.of("role", roles.getById(actor, p.id(), roleId));
    }
}
