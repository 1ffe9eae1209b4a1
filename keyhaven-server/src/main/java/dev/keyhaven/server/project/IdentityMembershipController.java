package dev.keyhaven.server.project;

import dev.keyhaven.server.access.MembershipService;
import dev.keyhaven.server.access.ProjectAction;
import dev.keyhaven.server.access.ProjectPermission;
import dev.keyhaven.server.access.ProjectSubject;
import dev.keyhaven.server.access.RoleGrant;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.identity.Identity;
import dev.keyhaven.server.identity.IdentityService;
import dev.keyhaven.server.platform.web.ValidationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Identity memberships of a project, served at all three path generations Infisical's clients use
 * ({@code /api/v2/workspace/..}, {@code /api/v1/projects/../identity-memberships} and
 * {@code /api/v1/projects/../memberships/identities}).
 */
@RestController
public class IdentityMembershipController {
    private final ProjectService projects;
    private final IdentityService identities;
    private final MembershipService memberships;

    public IdentityMembershipController(
            ProjectService projects, IdentityService identities, MembershipService memberships) {
        this.projects = projects;
        this.identities = identities;
        this.memberships = memberships;
    }

    record MembershipBody(String role, List<RoleGrant> roles) {
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

    @PostMapping({
        "/api/v2/workspace/{projectId}/identity-memberships/{identityId}",
        "/api/v1/projects/{projectId}/identity-memberships/{identityId}",
        "/api/v1/projects/{projectId}/memberships/identities/{identityId}"
    })
    @ProjectPermission(subject = ProjectSubject.IDENTITY, actions = ProjectAction.CREATE)
    public Map<String, Object> add(
            Actor actor,
            @PathVariable String projectId,
            @PathVariable String identityId,
            @RequestBody(required = false) MembershipBody body) {
        Project p = projects.resolve(actor, projectId, null);
        Identity identity = identities.load(actor, identityId);
        MembershipBody b = body == null ? new MembershipBody(null, null) : body;
        return Map.of(
                "identityMembership", memberships.addIdentity(actor, p.id(), p.name(), identity.id(), b.grants(true)));
    }

    @PatchMapping({
        "/api/v2/workspace/{projectId}/identity-memberships/{identityId}",
        "/api/v1/projects/{projectId}/identity-memberships/{identityId}",
        "/api/v1/projects/{projectId}/memberships/identities/{identityId}"
    })
    @ProjectPermission(subject = ProjectSubject.IDENTITY, actions = ProjectAction.EDIT)
    public Map<String, Object> update(
            Actor actor,
            @PathVariable String projectId,
            @PathVariable String identityId,
            @RequestBody MembershipBody body) {
        Project p = projects.resolve(actor, projectId, null);
        Identity identity = identities.load(actor, identityId);
        return Map.of(
                "roles", memberships.updateIdentityRoles(actor, p.id(), p.name(), identity.id(), body.grants(false)));
    }

    @DeleteMapping({
        "/api/v2/workspace/{projectId}/identity-memberships/{identityId}",
        "/api/v1/projects/{projectId}/identity-memberships/{identityId}",
        "/api/v1/projects/{projectId}/memberships/identities/{identityId}"
    })
    @ProjectPermission(subject = ProjectSubject.IDENTITY, actions = ProjectAction.DELETE)
    public Map<String, Object> remove(Actor actor, @PathVariable String projectId, @PathVariable String identityId) {
        Project p = projects.resolve(actor, projectId, null);
        Identity identity = identities.load(actor, identityId);
        return Map.of("identityMembership", memberships.removeIdentity(actor, p.id(), p.name(), identity.id()));
    }

    @GetMapping({
        "/api/v2/workspace/{projectId}/identity-memberships/{identityId}",
        "/api/v1/projects/{projectId}/identity-memberships/{identityId}",
        "/api/v1/projects/{projectId}/memberships/identities/{identityId}"
    })
    @ProjectPermission(subject = ProjectSubject.IDENTITY, actions = ProjectAction.READ)
    public Map<String, Object> get(Actor actor, @PathVariable String projectId, @PathVariable String identityId) {
        Project p = projects.resolve(actor, projectId, null);
        Identity identity = identities.load(actor, identityId);
        return Map.of(
                "identityMembership",
                memberships.getIdentity(actor, p.id(), p.name(), identity.id(), summary(identity)));
    }

    @GetMapping({
        "/api/v2/workspace/{projectId}/identity-memberships",
        "/api/v1/projects/{projectId}/identity-memberships",
        "/api/v1/projects/{projectId}/memberships/identities"
    })
    @ProjectPermission(subject = ProjectSubject.IDENTITY, actions = ProjectAction.READ)
    public Map<String, Object> list(Actor actor, @PathVariable String projectId) {
        Project p = projects.resolve(actor, projectId, null);
        List<Map<String, Object>> list = memberships.listIdentities(
                actor,
                p.id(),
                p.name(),
                id -> identities.find(id).map(this::summary).orElse(Map.of("id", id)));
        return Map.of("identityMemberships", list, "totalCount", list.size());
    }

    private Map<String, Object> summary(Identity identity) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", identity.id());
        m.put("name", identity.name());
        return m;
    }
}
