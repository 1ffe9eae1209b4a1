package dev.keyhaven.server.org;

import dev.keyhaven.server.access.GroupService;
import dev.keyhaven.server.access.Permission;
import dev.keyhaven.server.access.Permission.Scope;
import dev.keyhaven.server.auth.Actor;
import dev.keyhaven.server.auth.machine.Identity;
import dev.keyhaven.server.auth.machine.IdentityService;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/groups}: org groups and their machine-identity members (bare objects, as Infisical answers). */
@RestController
public class GroupController {
    private final GroupService groups;
    private final IdentityService identities;

    public GroupController(GroupService groups, IdentityService identities) {
        this.groups = groups;
        this.identities = identities;
    }

    record GroupBody(String name, String slug, String role) {}

    @PostMapping("/api/v1/groups")
    @Permission(scope = Scope.ORG, subject = "groups", actions = "create")
    public Map<String, Object> create(Actor actor, @RequestBody GroupBody body) {
        return groups.create(actor, body.name(), body.slug(), body.role());
    }

    @GetMapping("/api/v1/groups")
    @Permission(scope = Scope.ORG, subject = "groups", actions = "read")
    public List<Map<String, Object>> list(Actor actor) {
        return groups.list(actor);
    }

    @GetMapping("/api/v1/groups/{groupId}")
    @Permission(scope = Scope.ORG, subject = "groups", actions = "read")
    public Map<String, Object> get(Actor actor, @PathVariable String groupId) {
        return groups.get(actor, groupId);
    }

    @PatchMapping("/api/v1/groups/{groupId}")
    @Permission(scope = Scope.ORG, subject = "groups", actions = "edit")
    public Map<String, Object> update(Actor actor, @PathVariable String groupId, @RequestBody GroupBody body) {
        return groups.update(actor, groupId, body.name(), body.slug(), body.role());
    }

    @DeleteMapping("/api/v1/groups/{groupId}")
    @Permission(scope = Scope.ORG, subject = "groups", actions = "delete")
    public Map<String, Object> delete(Actor actor, @PathVariable String groupId) {
        return groups.delete(actor, groupId);
    }

    @PostMapping("/api/v1/groups/{groupId}/machine-identities/{identityId}")
    @Permission(scope = Scope.ORG, subject = "groups", actions = "add-identities")
    public Map<String, Object> addIdentity(Actor actor, @PathVariable String groupId, @PathVariable String identityId) {
        Identity identity = identities.load(actor, identityId);
        return groups.addIdentity(actor, groupId, identity.id());
    }

    @DeleteMapping("/api/v1/groups/{groupId}/machine-identities/{identityId}")
    @Permission(scope = Scope.ORG, subject = "groups", actions = "remove-identities")
    public Map<String, Object> removeIdentity(Actor actor, @PathVariable String groupId, @PathVariable String identityId) {
        Identity identity = identities.load(actor, identityId);
        return groups.removeIdentity(actor, groupId, identity.id());
    }

    @GetMapping("/api/v1/groups/{groupId}/machine-identities")
    @Permission(scope = Scope.ORG, subject = "groups", actions = "read")
    public Map<String, Object> listIdentities(Actor actor, @PathVariable String groupId) {
        return groups.listIdentities(actor, groupId, id -> identities.find(id).map(Identity::name).orElse(null));
    }
}
