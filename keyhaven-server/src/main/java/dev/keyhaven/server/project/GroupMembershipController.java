package dev.keyhaven.server.project;

import dev.keyhaven.server.access.GroupMembershipService;
import dev.keyhaven.server.access.GroupService;
import dev.keyhaven.server.access.ProjectAction;
import dev.keyhaven.server.access.ProjectPermission;
import dev.keyhaven.server.access.ProjectSubject;
import dev.keyhaven.server.access.RoleGrant;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.platform.web.ValidationException;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Groups in a project: {@code /api/v2/workspace/:projectId/groups/:groupIdOrName} (names are resolved, as Terraform sends them). */
@RestController
public class GroupMembershipController {
    private final ProjectService projects;
    private final GroupService groups;
    private final GroupMembershipService memberships;

    public GroupMembershipController(ProjectService projects, GroupService groups, GroupMembershipService memberships) {
        this.projects = projects;
        this.groups = groups;
        this.memberships = memberships;
    }

    record Body(String role, List<RoleGrant> roles) {
        List<RoleGrant> grants(boolean defaultNoAccess) {
            if (roles != null && !roles.isEmpty()) {
                return roles;
            }
            if (role != null) {
                return List.of(RoleGrant.permanent(role));
            }
            if (defaultNoAccess) {
                return List.of(RoleGrant.permanent("no-access"));
            }
            throw ValidationException.field("roles", "At least one role is required");
        }
    }

    @PostMapping("/api/v2/workspace/{projectId}/groups/{group}")
    @ProjectPermission(subject = ProjectSubject.GROUPS, actions = ProjectAction.CREATE)
    public Map<String, Object> add(
            Actor actor,
            @PathVariable String projectId,
            @PathVariable String group,
            @RequestBody(required = false) Body body) {
        Project p = projects.resolve(actor, projectId, null);
        Body b = body == null ? new Body(null, null) : body;
        return Map.of(
                "groupMembership",
                memberships.add(actor, p.id(), p.name(), groups.resolveId(actor, group), b.grants(true)));
    }

    @PatchMapping("/api/v2/workspace/{projectId}/groups/{group}")
    @ProjectPermission(subject = ProjectSubject.GROUPS, actions = ProjectAction.EDIT)
    public Map<String, Object> update(
            Actor actor, @PathVariable String projectId, @PathVariable String group, @RequestBody Body body) {
        Project p = projects.resolve(actor, projectId, null);
        return Map.of(
                "roles",
                memberships.updateRoles(actor, p.id(), p.name(), groups.resolveId(actor, group), body.grants(false)));
    }

    @DeleteMapping("/api/v2/workspace/{projectId}/groups/{group}")
    @ProjectPermission(subject = ProjectSubject.GROUPS, actions = ProjectAction.DELETE)
    public Map<String, Object> remove(Actor actor, @PathVariable String projectId, @PathVariable String group) {
        Project p = projects.resolve(actor, projectId, null);
        return Map.of("groupMembership", memberships.remove(actor, p.id(), p.name(), groups.resolveId(actor, group)));
    }

    @GetMapping("/api/v2/workspace/{projectId}/groups/{group}")
    @ProjectPermission(subject = ProjectSubject.GROUPS, actions = ProjectAction.READ)
    public Map<String, Object> get(Actor actor, @PathVariable String projectId, @PathVariable String group) {
        Project p = projects.resolve(actor, projectId, null);
        return Map.of("groupMembership", memberships.get(actor, p.id(), groups.resolveId(actor, group)));
    }

    @GetMapping("/api/v2/workspace/{projectId}/groups")
    @ProjectPermission(subject = ProjectSubject.GROUPS, actions = ProjectAction.READ)
    public Map<String, Object> list(Actor actor, @PathVariable String projectId) {
        Project p = projects.resolve(actor, projectId, null);
        return Map.of("groupMemberships", memberships.list(actor, p.id()));
    }
}
