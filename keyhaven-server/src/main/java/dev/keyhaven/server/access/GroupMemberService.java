package dev.keyhaven.server.access;

import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.audit.AuditEvent;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.audit.AuditLog;
import dev.keyhaven.server.platform.json.Iso;
import dev.keyhaven.server.platform.web.ApiException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The members of org groups, people and machine identities. Members hold the group's org role and
 * inherit its project roles without becoming direct project members, and lose them the moment
 * they leave the group.
 * Adding a member is a grant: unless the actor may grant privileges org-wide, it must hold the
 * group's org role and every role the group has in every project, and nobody adds themselves.
 * Taking a member out of a group changes what the group's members are, so it passes the group's
 * permission boundary ({@link PrincipalBoundary}): the actor must hold at least everything the
 * group holds.
 */
@Service
public class GroupMemberService {
    private static final String USER = "user";
    private final GroupService groups;
    private final GroupStore store;
    private final ProjectMembershipStore memberships;
    private final PermissionService permissions;
    private final OrgRoleService orgRoles;
    private final CustomRoleRules customRules;
    private final ProjectRoleStore customRoles;
    private final PrincipalBoundary boundary;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    public GroupMemberService(
            GroupService groups,
            GroupStore store,
            ProjectMembershipStore memberships,
            PermissionService permissions,
            OrgRoleService orgRoles,
            CustomRoleRules customRules,
            ProjectRoleStore customRoles,
            PrincipalBoundary boundary,
            AuditLog audit,
            TransactionTemplate tx,
            Clock clock) {
        this.groups = groups;
        this.store = store;
        this.memberships = memberships;
        this.permissions = permissions;
        this.orgRoles = orgRoles;
        this.customRules = customRules;
        this.customRoles = customRoles;
        this.boundary = boundary;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    /** A person of the actor's organization, as the group routes show them. */
    public record Person(String id, String email, String username, String firstName, String lastName) {}

    public Map<String, Object> addIdentity(Actor actor, String groupId, String identityId) {
        permissions.org(actor).require(OrgSubject.GROUPS, OrgAction.ADD_IDENTITIES);
        GroupStore.GroupRow g = groups.find(actor, groupId);
        if (store.isMember(g.id(), "identity", identityId)) {
            throw ApiException.badRequest("The identity is already in this group");
        }
        if (actor.id().equals(identityId)) {
            throw ApiException.forbidden("An identity cannot add itself to a group");
        }
        refuseEscalation(actor, g);
        tx.executeWithoutResult(st -> {
            store.addMember(g.id(), "identity", identityId, clock.millis());
            audit.record(AuditEvent.of(
                    actor,
                    null,
                    null,
                    AuditEventType.ADD_IDENTITY_TO_GROUP,
                    Map.of("groupId", g.id(), "identityId", identityId)));
        });
        return Map.of("id", identityId);
    }

    public Map<String, Object> removeIdentity(Actor actor, String groupId, String identityId) {
        permissions.org(actor).require(OrgSubject.GROUPS, OrgAction.REMOVE_IDENTITIES);
        GroupStore.GroupRow g = groups.find(actor, groupId);
        boundary.requireCoversGroup(actor, g);
        tx.executeWithoutResult(st -> {
            if (store.removeMember(g.id(), "identity", identityId) == 0) {
                throw ApiException.notFound("The identity is not in this group");
            }
            audit.record(AuditEvent.of(
                    actor,
                    null,
                    null,
                    AuditEventType.REMOVE_IDENTITY_FROM_GROUP,
                    Map.of("groupId", g.id(), "identityId", identityId)));
        });
        return Map.of("id", identityId);
    }

    /**
     * The organization's machine identities, each with whether (and since when) it is in the
     * group, a page at a time; {@code q.inGroup()} keeps only members or only the others.
     */
    public Map<String, Object> listIdentities(Actor actor, String groupId, ListQuery q) {
        permissions.org(actor).require(OrgSubject.GROUPS, OrgAction.READ);
        GroupStore.GroupRow g = groups.find(actor, groupId);
        GroupStore.Page<GroupStore.IdentityRow> page =
                store.identities(g.orgId(), g.id(), q.search(), q.inGroup(), q.offset(), q.limit());
        List<Map<String, Object>> out = new ArrayList<>();
        for (GroupStore.IdentityRow r : page.rows()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", r.id());
            row.put("name", r.name());
            row.put("isPartOfGroup", r.joinedAt() != null);
            row.put("joinedGroupAt", Iso.ofNullable(r.joinedAt()));
            out.add(row);
        }
        return Map.of("machineIdentities", out, "totalCount", page.total());
    }

    /**
     * Adds a person of the group's organization, found by username through {@code people} (which
     * looks only in the actor's organization: anyone else is 404, as if they did not exist).
     */
    public Map<String, Object> addUser(
            Actor actor, String groupId, String username, Function<String, Optional<Person>> people) {
        permissions.org(actor).require(OrgSubject.GROUPS, OrgAction.ADD_MEMBERS);
        GroupStore.GroupRow g = groups.find(actor, groupId);
        Person p = person(username, people);
        if (store.isMember(g.id(), USER, p.id())) {
            throw ApiException.badRequest("The user is already in this group");
        }
        if (actor.isUser() && actor.id().equals(p.id())) {
            throw ApiException.forbidden("You cannot add yourself to a group");
        }
        refuseEscalation(actor, g);
        tx.executeWithoutResult(st -> {
            store.addMember(g.id(), USER, p.id(), clock.millis());
            audit.record(AuditEvent.of(
                    actor, null, null, AuditEventType.ADD_USER_TO_GROUP, Map.of("groupId", g.id(), "userId", p.id())));
        });
        return personJson(p);
    }

    public Map<String, Object> removeUser(
            Actor actor, String groupId, String username, Function<String, Optional<Person>> people) {
        permissions.org(actor).require(OrgSubject.GROUPS, OrgAction.REMOVE_MEMBERS);
        GroupStore.GroupRow g = groups.find(actor, groupId);
        Person p = person(username, people);
        boundary.requireCoversGroup(actor, g);
        tx.executeWithoutResult(st -> {
            if (store.removeMember(g.id(), USER, p.id()) == 0) {
                throw ApiException.notFound("The user is not in this group");
            }
            audit.record(AuditEvent.of(
                    actor,
                    null,
                    null,
                    AuditEventType.REMOVE_USER_FROM_GROUP,
                    Map.of("groupId", g.id(), "userId", p.id())));
        });
        return personJson(p);
    }

    /** Paging and filters of the group member lists; checked by the caller. */
    public record ListQuery(
            int offset,
            int limit,
            String search,
            String username,
            Boolean inGroup,
            List<String> memberTypes,
            boolean descending) {}

    /** The people of the organization, each with whether (and since when) they are in the group. */
    public Map<String, Object> listUsers(Actor actor, String groupId, ListQuery q) {
        permissions.org(actor).require(OrgSubject.GROUPS, OrgAction.READ);
        GroupStore.GroupRow g = groups.find(actor, groupId);
        GroupStore.Page<GroupStore.PersonRow> page =
                store.people(g.orgId(), g.id(), q.search(), q.username(), q.inGroup(), q.offset(), q.limit());
        List<Map<String, Object>> users = new ArrayList<>();
        for (GroupStore.PersonRow r : page.rows()) {
            Map<String, Object> u =
                    personJson(new Person(r.id(), r.email(), r.username(), r.firstName(), r.lastName()));
            u.put("isPartOfGroup", r.joinedAt() != null);
            u.put("joinedGroupAt", Iso.ofNullable(r.joinedAt()));
            users.add(u);
        }
        return Map.of("users", users, "totalCount", page.total());
    }

    /** The group's members of both kinds ({@code type} {@code user} or {@code machineIdentity}). */
    public Map<String, Object> listMembers(Actor actor, String groupId, ListQuery q) {
        permissions.org(actor).require(OrgSubject.GROUPS, OrgAction.READ);
        GroupStore.GroupRow g = groups.find(actor, groupId);
        GroupStore.Page<GroupStore.AnyMemberRow> page =
                store.anyMembers(g.id(), q.memberTypes(), q.search(), q.descending(), q.offset(), q.limit());
        List<Map<String, Object>> members = new ArrayList<>();
        for (GroupStore.AnyMemberRow r : page.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.memberId());
            m.put("joinedGroupAt", Iso.of(r.joinedAt()));
            if (USER.equals(r.memberType())) {
                m.put("type", "user");
                m.put(
                        "user",
                        personJson(new Person(r.memberId(), r.email(), r.username(), r.firstName(), r.lastName())));
            } else {
                m.put("type", "machineIdentity");
                Map<String, Object> identity = new LinkedHashMap<>();
                identity.put("id", r.memberId());
                identity.put("name", r.identityName());
                m.put("machineIdentity", identity);
            }
            members.add(m);
        }
        return Map.of("members", members, "totalCount", page.total());
    }

    private void refuseEscalation(Actor actor, GroupStore.GroupRow g) {
        PermissionSet org = permissions.org(actor);
        if (org.can(OrgSubject.GROUPS, OrgAction.GRANT_PRIVILEGES)) {
            return;
        }
        List<Rule> orgRole = orgRoles.rulesOf(g.orgId(), g.role()).orElse(List.of());
        if (!org.coversAllOf(new PermissionSet(orgRole))) {
            throw ApiException.forbidden(
                    "Failed to add the member: the group's org role '" + g.role() + "' grants more than you hold");
        }
        for (ProjectMembershipStore.MembershipRow m : memberships.byActor("group", g.id())) {
            PermissionSet mine = permissions.project(actor, m.projectId());
            for (ProjectMembershipStore.RoleRow r : memberships.roles(m.id())) {
                List<Rule> rules = r.customRoleId() == null
                        ? BuiltInRoles.project(r.role()).orElse(List.of())
                        : customRoles
                                .byId(r.customRoleId())
                                .map(c -> customRules.rules(
                                        c.id(), "custom-role:" + c.slug(), c.permissions(), c.updatedAt()))
                                .orElse(List.of());
                if (!mine.coversAllOf(new PermissionSet(rules))) {
                    throw ApiException.forbidden(
                            "Failed to add the member: the group's role '" + r.role() + "' grants more than you hold");
                }
            }
        }
    }

    private static Person person(String username, Function<String, Optional<Person>> people) {
        String name = username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
        return people.apply(name)
                .orElseThrow(
                        () -> ApiException.notFound("User with username " + name + " not found in this organization"));
    }

    private static Map<String, Object> personJson(Person p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("email", p.email());
        m.put("username", p.username());
        m.put("firstName", p.firstName());
        m.put("lastName", p.lastName());
        return m;
    }
}
