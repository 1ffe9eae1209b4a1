package dev.keyhaven.server.people;

import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgPermission;
import dev.keyhaven.server.access.OrgSubject;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.audit.AuditEvent;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.audit.AuditLog;
import dev.keyhaven.server.org.Member;
import dev.keyhaven.server.org.MemberService;
import java.util.Map;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An admin ends every session of a member (a lost laptop, a departure). It ends the person's
 * sessions everywhere, since any of them could switch into this organization.
 */
@RestController
public class MemberSessionsController {
    private final MemberService members;
    private final SessionService sessions;
    private final AuditLog audit;

    MemberSessionsController(MemberService members, SessionService sessions, AuditLog audit) {
        this.members = members;
        this.sessions = sessions;
        this.audit = audit;
    }

    @PostMapping("/api/v2/organizations/{orgId}/memberships/{membershipId}/revoke-sessions")
    @OrgPermission(subject = OrgSubject.MEMBER, actions = OrgAction.EDIT)
    public Map<String, Object> revoke(Actor actor, @PathVariable String orgId, @PathVariable String membershipId) {
        Member m = members.require(actor, orgId, membershipId, OrgAction.EDIT);
        int ended = sessions.revokeAll(m.userId(), null, "revoked-by-admin");
        audit.record(AuditEvent.of(
                actor,
                null,
                null,
                AuditEventType.REVOKE_MEMBER_SESSIONS,
                Map.of("membershipId", m.id(), "userId", m.userId(), "sessionsEnded", ended)));
        return Map.of("message", "Sessions ended", "count", ended);
    }
}
