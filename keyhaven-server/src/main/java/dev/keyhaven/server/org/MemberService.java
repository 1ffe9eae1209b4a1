package dev.keyhaven.server.org;

import dev.keyhaven.server.access.MembershipService;
import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgRoleService;
import dev.keyhaven.server.access.OrgSubject;
import dev.keyhaven.server.access.PermissionService;
import dev.keyhaven.server.access.PrincipalBoundary;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.actor.ActorType;
import dev.keyhaven.server.audit.AuditEvent;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.audit.AuditLog;
import dev.keyhaven.server.platform.db.Ids;
import dev.keyhaven.server.platform.json.Iso;
import dev.keyhaven.server.platform.web.ApiException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The people in an organization: list, change a member's role, deactivate (access ends on the
 * next request, history stays), remove (with their project memberships, privileges and group
 * places in this organization). Nobody changes their own membership here, and a role can only
 * be given by someone who holds everything it grants. Every action on another member (changing
 * their role, deactivating, removing, ending their sessions, resending their invitation) passes
 * their permission boundary: the actor must hold at least everything the person holds, in the
 * org and in every project they are in, and after a role change what they would hold then.
 */
@Service
public class MemberService {
    private final MemberStore store;
    private final PermissionService permissions;
    private final OrgRoleService roles;
    private final MembershipService memberships;
    private final PrincipalBoundary boundary;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    MemberService(
            MemberStore store,
            PermissionService permissions,
            OrgRoleService roles,
            MembershipService memberships,
            PrincipalBoundary boundary,
            AuditLog audit,
            TransactionTemplate tx,
            Clock clock) {
        this.store = store;
        this.permissions = permissions;
        this.roles = roles;
        this.memberships = memberships;
        this.boundary = boundary;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    public List<Map<String, Object>> list(Actor actor, String orgId) {
        permissions.org(actor).require(OrgSubject.MEMBER, OrgAction.READ);
        sameOrg(actor, orgId);
        return store.list(orgId).stream().map(MemberService::toJson).toList();
    }

    /** The e-mail addresses of the organization's active admins (for security alerts; no permission check). */
    public List<String> adminEmails(String orgId) {
        return store.list(orgId).stream()
                .filter(m -> "admin".equals(m.role()) && m.isActive() && "accepted".equals(m.status()))
                .map(Member::email)
                .toList();
    }

    public Map<String, Object> get(Actor actor, String orgId, String membershipId) {
        permissions.org(actor).require(OrgSubject.MEMBER, OrgAction.READ);
        return toJson(load(actor, orgId, membershipId));
    }

    public Map<String, Object> update(Actor actor, String orgId, String membershipId, String role, Boolean isActive) {
        permissions.org(actor).require(OrgSubject.MEMBER, OrgAction.EDIT);
        Member m = load(actor, orgId, membershipId);
        if (m.userId().equals(actor.id())) {
            throw ApiException.forbidden("You cannot change your own membership");
        }
        boundary.requireCovers(actor, asActor(m, m.role()));
        String newRole = m.role();
        if (role != null) {
            newRole = role.strip();
            roles.checkGrantable(actor, "role", newRole);
            boundary.requireCoversAfter(actor, asActor(m, newRole));
        }
        boolean active = isActive == null ? m.isActive() : isActive;
        String finalRole = newRole;
        tx.executeWithoutResult(s -> {
            store.update(m.id(), finalRole, active, clock.millis());
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("membershipId", m.id());
            meta.put("userId", m.userId());
            meta.put("before", Map.of("role", m.role(), "isActive", m.isActive()));
            meta.put("after", Map.of("role", finalRole, "isActive", active));
            audit.record(AuditEvent.of(actor, null, null, AuditEventType.UPDATE_ORG_MEMBERSHIP, meta));
        });
        return toJson(store.byId(orgId, membershipId).orElseThrow());
    }

    public Map<String, Object> remove(Actor actor, String orgId, String membershipId) {
        permissions.org(actor).require(OrgSubject.MEMBER, OrgAction.DELETE);
        Member m = load(actor, orgId, membershipId);
        if (m.userId().equals(actor.id())) {
            throw ApiException.forbidden("You cannot remove yourself");
        }
        boundary.requireCovers(actor, asActor(m, m.role()));
        tx.executeWithoutResult(s -> {
            memberships.removeFromOrg("user", m.userId(), orgId);
            store.delete(m);
            audit.record(AuditEvent.of(
                    actor,
                    null,
                    null,
                    AuditEventType.REMOVE_ORG_MEMBER,
                    Map.of("membershipId", m.id(), "userId", m.userId())));
        });
        return toJson(m);
    }

    /**
     * The member behind a membership id, for other features that act on the member (ending their
     * sessions, resending their invitation): needs {@code member} {@code action} and passes the
     * member's permission boundary, like every change here.
     */
    public Member require(Actor actor, String orgId, String membershipId, OrgAction action) {
        permissions.org(actor).require(OrgSubject.MEMBER, action);
        Member m = load(actor, orgId, membershipId);
        boundary.requireCovers(actor, asActor(m, m.role()));
        return m;
    }

    /** Refuses (403) unless the actor holds at least everything the member holds (their permission boundary). */
    public void requireCovers(Actor actor, Member m) {
        boundary.requireCovers(actor, asActor(m, m.role()));
    }

    public Optional<Member> byEmail(String orgId, String email) {
        return store.byEmail(orgId, email);
    }

    public Optional<Member> byUser(String orgId, String userId) {
        return store.byUser(orgId, userId);
    }

    /** Adds a person who has been invited; the membership counts once they accept. */
    public Member addInvited(String orgId, String userId, String role) {
        String id = Ids.newId();
        store.insert(id, orgId, userId, role, "invited", clock.millis());
        return store.byId(orgId, id).orElseThrow();
    }

    public void accept(Member m) {
        store.accept(m.id(), clock.millis());
    }

    private Member load(Actor actor, String orgId, String membershipId) {
        sameOrg(actor, orgId);
        return store.byId(orgId, membershipId).orElseThrow(() -> ApiException.notFound("Membership not found"));
    }

    /**
     * The member as the evaluator sees them, with {@code role} as their org role: the role they
     * have (or would have) whether active, deactivated or invited, since reactivating or accepting
     * gives it back in full.
     */
    private static Actor asActor(Member m, String role) {
        String name =
                m.firstName() == null ? m.email() : m.firstName() + (m.lastName() == null ? "" : " " + m.lastName());
        return new Actor(ActorType.USER, m.userId(), name, m.email(), m.orgId(), role, null, null, null);
    }

    private static void sameOrg(Actor actor, String orgId) {
        if (orgId == null || !orgId.equals(actor.orgId())) {
            throw ApiException.forbidden("You can only manage the organization your session belongs to");
        }
    }

    static Map<String, Object> toJson(Member m) {
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("id", m.userId());
        u.put("username", m.email());
        u.put("email", m.email());
        u.put("isEmailVerified", m.emailVerified());
        u.put("firstName", m.firstName());
        u.put("lastName", m.lastName());
        u.put("publicKey", null);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", m.id());
        out.put("role", m.role());
        out.put("status", m.status());
        out.put("inviteEmail", m.email());
        out.put("userId", m.userId());
        out.put("orgId", m.orgId());
        out.put("roleId", null);
        out.put("isActive", m.isActive());
        out.put("createdAt", Iso.of(m.createdAt()));
        out.put("updatedAt", Iso.of(m.updatedAt()));
        out.put("user", u);
        return out;
    }
}
