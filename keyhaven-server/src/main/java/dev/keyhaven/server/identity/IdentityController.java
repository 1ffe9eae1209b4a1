package dev.keyhaven.server.identity;

import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgPermission;
import dev.keyhaven.server.access.OrgSubject;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.platform.web.Paging;
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

/** {@code /api/v1/identities}: machine identities of the caller's organization. */
@RestController
public class IdentityController {
    private final IdentityService identities;

    public IdentityController(IdentityService identities) {
        this.identities = identities;
    }

    record CreateIdentity(String name, String organizationId, String role, List<Map<String, Object>> metadata) {}

    record UpdateIdentity(String name, String role, List<Map<String, Object>> metadata) {}

    @PostMapping("/api/v1/identities")
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.CREATE)
    public Map<String, Object> create(Actor actor, @RequestBody CreateIdentity body) {
        return Map.of(
                "identity",
                identities
                        .create(actor, body.organizationId(), body.name(), body.role(), body.metadata())
                        .toJson());
    }

    @GetMapping("/api/v1/identities")
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.READ)
    public Map<String, Object> list(
            Actor actor,
            @RequestParam(required = false) String orgId,
            @RequestParam(required = false) String offset,
            @RequestParam(required = false) String limit) {
        Paging page = Paging.of(offset, limit, 100, 1000);
        return identities.list(actor, orgId, page.offset(), page.limit());
    }

    @GetMapping("/api/v1/identities/{identityId}")
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.READ)
    public Map<String, Object> get(Actor actor, @PathVariable String identityId) {
        return Map.of("identity", identities.get(actor, identityId).toJson());
    }

    @PatchMapping("/api/v1/identities/{identityId}")
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.EDIT)
    public Map<String, Object> update(Actor actor, @PathVariable String identityId, @RequestBody UpdateIdentity body) {
        return Map.of(
                "identity",
                identities
                        .update(actor, identityId, body.name(), body.role(), body.metadata())
                        .toJson());
    }

    @DeleteMapping("/api/v1/identities/{identityId}")
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.DELETE)
    public Map<String, Object> delete(Actor actor, @PathVariable String identityId) {
        return Map.of("identity", identities.delete(actor, identityId).toJson());
    }
}
