package dev.keyhaven.server.org;

import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgPermission;
import dev.keyhaven.server.access.OrgRoleService;
import dev.keyhaven.server.access.OrgSubject;
import dev.keyhaven.server.access.ProjectRoleService;
import dev.keyhaven.server.actor.Actor;
import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/organization/roles}: custom org roles of the caller's organization, beside the built-in ones. */
@RestController
public class OrgRoleController {
    private final OrgRoleService roles;

    public OrgRoleController(OrgRoleService roles) {
        this.roles = roles;
    }

    @PostMapping("/api/v1/organization/roles")
    @OrgPermission(subject = OrgSubject.ROLE, actions = OrgAction.CREATE)
    public Map<String, Object> create(Actor actor, @RequestBody ProjectRoleService.RoleBody body) {
        return Map.of("role", roles.create(actor, body));
    }

    @GetMapping("/api/v1/organization/roles")
    @OrgPermission(subject = OrgSubject.ROLE, actions = OrgAction.READ)
    public Map<String, Object> list(Actor actor) {
        return Map.of("roles", roles.list(actor));
    }

    @GetMapping("/api/v1/organization/roles/{roleId}")
    @OrgPermission(subject = OrgSubject.ROLE, actions = OrgAction.READ)
    public Map<String, Object> get(Actor actor, @PathVariable String roleId) {
        return Map.of("role", roles.get(actor, roleId));
    }

    @GetMapping("/api/v1/organization/roles/slug/{roleSlug}")
    @OrgPermission(subject = OrgSubject.ROLE, actions = OrgAction.READ)
    public Map<String, Object> getBySlug(Actor actor, @PathVariable String roleSlug) {
        return Map.of("role", roles.getBySlug(actor, roleSlug));
    }

    @PatchMapping("/api/v1/organization/roles/{roleId}")
    @OrgPermission(subject = OrgSubject.ROLE, actions = OrgAction.EDIT)
    public Map<String, Object> update(
            Actor actor, @PathVariable String roleId, @RequestBody ProjectRoleService.RoleBody body) {
        return Map.of("role", roles.update(actor, roleId, body));
    }

    @DeleteMapping("/api/v1/organization/roles/{roleId}")
    @OrgPermission(subject = OrgSubject.ROLE, actions = OrgAction.DELETE)
    public Map<String, Object> delete(Actor actor, @PathVariable String roleId) {
        return Map.of("role", roles.delete(actor, roleId));
    }
}
