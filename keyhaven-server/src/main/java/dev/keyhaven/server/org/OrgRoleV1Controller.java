package dev.keyhaven.server.org;

import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgPermission;
import dev.keyhaven.server.access.OrgRoleService;
import dev.keyhaven.server.access.OrgSubject;
import dev.keyhaven.server.access.ProjectRoleService;
import dev.keyhaven.server.actor.Actor;
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
 * The older org-role routes, {@code /api/v1/organization/:organizationId/roles}, that name the
 * organization in the path. The path must name the caller's own organization; then they are the
 * org-role service as {@code /api/v1/organization/roles} serves it, with the list wrapped in
 * {@code data} as those routes answered.
 */
@RestController
public class OrgRoleV1Controller {
    private static final String BASE = "/api/v1/organization/{organizationId}/roles";
    private final OrgRoleService roles;

    public OrgRoleV1Controller(OrgRoleService roles) {
        this.roles = roles;
    }

    @PostMapping(BASE)
    @OrgPermission(subject = OrgSubject.ROLE, actions = OrgAction.CREATE)
    public Map<String, Object> create(
            Actor actor, @PathVariable String organizationId, @RequestBody ProjectRoleService.RoleBody body) {
        ownOrg(actor, organizationId);
        return Map.of("role", roles.create(actor, body));
    }

    @GetMapping(BASE)
    @OrgPermission(subject = OrgSubject.ROLE, actions = OrgAction.READ)
    public Map<String, Object> list(Actor actor, @PathVariable String organizationId) {
        ownOrg(actor, organizationId);
        return Map.of("data", Map.of("roles", roles.list(actor)));
    }

    @GetMapping(BASE + "/{roleId}")
    @OrgPermission(subject = OrgSubject.ROLE, actions = OrgAction.READ)
    public Map<String, Object> get(Actor actor, @PathVariable String organizationId, @PathVariable String roleId) {
        ownOrg(actor, organizationId);
        return Map.of("role", roles.get(actor, roleId));
    }

    @PatchMapping(BASE + "/{roleId}")
    @OrgPermission(subject = OrgSubject.ROLE, actions = OrgAction.EDIT)
    public Map<String, Object> update(
            Actor actor,
            @PathVariable String organizationId,
            @PathVariable String roleId,
            @RequestBody ProjectRoleService.RoleBody body) {
        ownOrg(actor, organizationId);
        return Map.of("role", roles.update(actor, roleId, body));
    }

    @DeleteMapping(BASE + "/{roleId}")
    @OrgPermission(subject = OrgSubject.ROLE, actions = OrgAction.DELETE)
    public Map<String, Object> delete(Actor actor, @PathVariable String organizationId, @PathVariable String roleId) {
        ownOrg(actor, organizationId);
        return Map.of("role", roles.delete(actor, roleId));
    }

    /** Another organization's id gets the same refusal whether or not it exists, and no data. */
    private static void ownOrg(Actor actor, String organizationId) {
        if (!organizationId.equals(actor.orgId())) {
            throw ApiException.forbidden("You can only manage the roles of the organization your token belongs to");
        }
    }
}
