package dev.keyhaven.server.project;

import dev.keyhaven.server.access.ProjectAction;
import dev.keyhaven.server.access.ProjectPermission;
import dev.keyhaven.server.access.ProjectRoleService;
import dev.keyhaven.server.access.ProjectSubject;
import dev.keyhaven.server.access.V1Rules;
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
 * The oldest generation of the project-role routes, {@code /api/v1/workspace/:projectSlug/roles},
 * which Terraform's {@code permissions} attribute still calls: the project is named by slug within
 * the caller's organization and rules travel in the V1 shape. Everything else is the V2 role
 * service; this class only translates the key and the rules.
 */
@RestController
public class ProjectRoleV1Controller {
    private static final String BASE = "/api/v1/workspace/{projectSlug}/roles";
    private final ProjectService projects;
    private final ProjectRoleService roles;

    public ProjectRoleV1Controller(ProjectService projects, ProjectRoleService roles) {
        this.projects = projects;
        this.roles = roles;
    }

    @PostMapping(BASE)
    @ProjectPermission(subject = ProjectSubject.ROLE, actions = ProjectAction.CREATE)
    public Map<String, Object> create(
            Actor actor, @PathVariable String projectSlug, @RequestBody ProjectRoleService.RoleBody body) {
        Project p = projects.resolve(actor, null, projectSlug);
        return Map.of("role", V1Rules.withV1Rules(roles.create(actor, p.id(), p.name(), asV2(body))));
    }

    @PatchMapping(BASE + "/{roleId}")
    @ProjectPermission(subject = ProjectSubject.ROLE, actions = ProjectAction.EDIT)
    public Map<String, Object> update(
            Actor actor,
            @PathVariable String projectSlug,
            @PathVariable String roleId,
            @RequestBody ProjectRoleService.RoleBody body) {
        Project p = projects.resolve(actor, null, projectSlug);
        return Map.of("role", V1Rules.withV1Rules(roles.update(actor, p.id(), p.name(), roleId, asV2(body))));
    }

    @DeleteMapping(BASE + "/{roleId}")
    @ProjectPermission(subject = ProjectSubject.ROLE, actions = ProjectAction.DELETE)
    public Map<String, Object> delete(Actor actor, @PathVariable String projectSlug, @PathVariable String roleId) {
        Project p = projects.resolve(actor, null, projectSlug);
        return Map.of("role", V1Rules.withV1Rules(roles.delete(actor, p.id(), p.name(), roleId)));
    }

    @GetMapping(BASE)
    @ProjectPermission(subject = ProjectSubject.ROLE, actions = ProjectAction.READ)
    public Map<String, Object> list(Actor actor, @PathVariable String projectSlug) {
        Project p = projects.resolve(actor, null, projectSlug);
        return Map.of("roles", roles.list(actor, p.id()));
    }

    @GetMapping(BASE + "/slug/{roleSlug}")
    @ProjectPermission(subject = ProjectSubject.ROLE, actions = ProjectAction.READ)
    public Map<String, Object> getBySlug(Actor actor, @PathVariable String projectSlug, @PathVariable String roleSlug) {
        Project p = projects.resolve(actor, null, projectSlug);
        return Map.of("role", V1Rules.withV1Rules(roles.getBySlug(actor, p.id(), roleSlug)));
    }

    private static ProjectRoleService.RoleBody asV2(ProjectRoleService.RoleBody body) {
        return new ProjectRoleService.RoleBody(
                body.slug(), body.name(), body.description(), V1Rules.toV2(body.permissions()));
    }
}
