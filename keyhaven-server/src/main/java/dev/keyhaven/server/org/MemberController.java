package dev.keyhaven.server.org;

import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgPermission;
import dev.keyhaven.server.access.OrgSubject;
import dev.keyhaven.server.actor.Actor;
import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v2/organizations/:orgId/memberships}: the people in an organization. */
@RestController
public class MemberController {
    private static final String BASE = "/api/v2/organizations/{orgId}/memberships";
    private final MemberService members;

    public MemberController(MemberService members) {
        this.members = members;
    }

    record Update(String role, Boolean isActive) {}

    @GetMapping(BASE)
    @OrgPermission(subject = OrgSubject.MEMBER, actions = OrgAction.READ)
    public Map<String, Object> list(Actor actor, @PathVariable String orgId) {
        return Map.of("users", members.list(actor, orgId));
    }

    @GetMapping(BASE + "/{membershipId}")
    @OrgPermission(subject = OrgSubject.MEMBER, actions = OrgAction.READ)
    public Map<String, Object> get(Actor actor, @PathVariable String orgId, @PathVariable String membershipId) {
        return Map.of("membership", members.get(actor, orgId, membershipId));
    }

    @PatchMapping(BASE + "/{membershipId}")
    @OrgPermission(subject = OrgSubject.MEMBER, actions = OrgAction.EDIT)
    public Map<String, Object> update(
            Actor actor, @PathVariable String orgId, @PathVariable String membershipId, @RequestBody Update body) {
        return Map.of("membership", members.update(actor, orgId, membershipId, body.role(), body.isActive()));
    }

    @DeleteMapping(BASE + "/{membershipId}")
    @OrgPermission(subject = OrgSubject.MEMBER, actions = OrgAction.DELETE)
    public Map<String, Object> remove(Actor actor, @PathVariable String orgId, @PathVariable String membershipId) {
        return Map.of("membership", members.remove(actor, orgId, membershipId));
    }
}
