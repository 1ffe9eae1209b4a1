package dev.keyhaven.server.group;

import dev.keyhaven.server.access.GroupMemberService;
import dev.keyhaven.server.access.GroupService;
import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgPermission;
import dev.keyhaven.server.access.OrgSubject;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.identity.Identity;
import dev.keyhaven.server.identity.IdentityService;
import dev.keyhaven.server.org.MemberService;
import dev.keyhaven.server.platform.web.Paging;
import dev.keyhaven.server.platform.web.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/groups}: org groups and their members, people (by username) and machine
 * identities (bare objects, as Infisical answers).
 */
@RestController
public class GroupController {
    private static final Pattern SEARCH = Pattern.compile("^[A-Za-z0-9.@-]*$");
    private final GroupService groups;
    private final GroupMemberService groupMembers;
    private final IdentityService identities;
    private final MemberService members;

    public GroupController(
            GroupService groups, GroupMemberService groupMembers, IdentityService identities, MemberService members) {
        this.groups = groups;
        this.groupMembers = groupMembers;
        this.identities = identities;
        this.members = members;
    }

    record GroupBody(String name, String slug, String role) {}

    @PostMapping("/api/v1/groups")
    @OrgPermission(subject = OrgSubject.GROUPS, actions = OrgAction.CREATE)
    public Map<String, Object> create(Actor actor, @RequestBody GroupBody body) {
        return groups.create(actor, body.name(), body.slug(), body.role());
    }

    @GetMapping("/api/v1/groups")
    @OrgPermission(subject = OrgSubject.GROUPS, actions = OrgAction.READ)
    public List<Map<String, Object>> list(Actor actor) {
        return groups.list(actor);
    }

    @GetMapping("/api/v1/groups/{groupId}")
    @OrgPermission(subject = OrgSubject.GROUPS, actions = OrgAction.READ)
    public Map<String, Object> get(Actor actor, @PathVariable String groupId) {
        return groups.get(actor, groupId);
    }

    @PatchMapping("/api/v1/groups/{groupId}")
    @OrgPermission(subject = OrgSubject.GROUPS, actions = OrgAction.EDIT)
    public Map<String, Object> update(Actor actor, @PathVariable String groupId, @RequestBody GroupBody body) {
        return groups.update(actor, groupId, body.name(), body.slug(), body.role());
    }

    @DeleteMapping("/api/v1/groups/{groupId}")
    @OrgPermission(subject = OrgSubject.GROUPS, actions = OrgAction.DELETE)
    public Map<String, Object> delete(Actor actor, @PathVariable String groupId) {
        return groups.delete(actor, groupId);
    }

    @PostMapping("/api/v1/groups/{groupId}/machine-identities/{identityId}")
    @OrgPermission(subject = OrgSubject.GROUPS, actions = OrgAction.ADD_IDENTITIES)
    public Map<String, Object> addIdentity(Actor actor, @PathVariable String groupId, @PathVariable String identityId) {
        Identity identity = identities.load(actor, identityId);
        return groupMembers.addIdentity(actor, groupId, identity.id());
    }

    @DeleteMapping("/api/v1/groups/{groupId}/machine-identities/{identityId}")
    @OrgPermission(subject = OrgSubject.GROUPS, actions = OrgAction.REMOVE_IDENTITIES)
    public Map<String, Object> removeIdentity(
            Actor actor, @PathVariable String groupId, @PathVariable String identityId) {
        Identity identity = identities.load(actor, identityId);
        return groupMembers.removeIdentity(actor, groupId, identity.id());
    }

    @GetMapping("/api/v1/groups/{groupId}/machine-identities")
    @OrgPermission(subject = OrgSubject.GROUPS, actions = OrgAction.READ)
    public Map<String, Object> listIdentities(
            Actor actor,
            @PathVariable String groupId,
            @RequestParam(required = false) String offset,
            @RequestParam(required = false) String limit,
            @RequestParam(required = false) String search,
            @RequestParam(required = false) String filter) {
        return groupMembers.listIdentities(
                actor,
                groupId,
                query(Paging.of(offset, limit, 10, 100), search(search), null, membership(filter), List.of(), false));
    }

    @PostMapping("/api/v1/groups/{groupId}/users/{username}")
    @OrgPermission(subject = OrgSubject.GROUPS, actions = OrgAction.ADD_MEMBERS)
    public Map<String, Object> addUser(Actor actor, @PathVariable String groupId, @PathVariable String username) {
        return groupMembers.addUser(actor, groupId, username, people(actor));
    }

    @DeleteMapping("/api/v1/groups/{groupId}/users/{username}")
    @OrgPermission(subject = OrgSubject.GROUPS, actions = OrgAction.REMOVE_MEMBERS)
    public Map<String, Object> removeUser(Actor actor, @PathVariable String groupId, @PathVariable String username) {
        return groupMembers.removeUser(actor, groupId, username, people(actor));
    }

    @GetMapping("/api/v1/groups/{groupId}/users")
    @OrgPermission(subject = OrgSubject.GROUPS, actions = OrgAction.READ)
    public Map<String, Object> listUsers(
            Actor actor,
            @PathVariable String groupId,
            @RequestParam(required = false) String offset,
            @RequestParam(required = false) String limit,
            @RequestParam(required = false) String username,
            @RequestParam(required = false) String search,
            @RequestParam(required = false) String filter) {
        return groupMembers.listUsers(
                actor,
                groupId,
                query(
                        Paging.of(offset, limit, 10, 100),
                        search(search),
                        blankToNull(username),
                        membership(filter),
                        List.of(),
                        false));
    }

    /** {@code filter}: members only, non-members only, or everyone (null). */
    private static Boolean membership(String filter) {
        return switch (blankToNull(filter) == null ? "" : filter.strip()) {
            case "" -> null;
            case "existingMembers" -> true;
            case "nonMembers" -> false;
            default ->
                throw ValidationException.field(
                        "filter", "Invalid enum value. Expected 'existingMembers' | 'nonMembers'");
        };
    }

    @GetMapping("/api/v1/groups/{groupId}/members")
    @OrgPermission(subject = OrgSubject.GROUPS, actions = OrgAction.READ)
    public Map<String, Object> listMembers(
            Actor actor,
            @PathVariable String groupId,
            @RequestParam(required = false) String offset,
            @RequestParam(required = false) String limit,
            @RequestParam(required = false) String search,
            @RequestParam(required = false) String orderBy,
            @RequestParam(required = false) String orderDirection,
            @RequestParam(required = false) List<String> memberTypeFilter) {
        if (blankToNull(orderBy) != null && !"name".equals(orderBy.strip())) {
            throw ValidationException.field("orderBy", "Invalid enum value. Expected 'name'");
        }
        String direction = blankToNull(orderDirection) == null ? "asc" : orderDirection.strip();
        if (!direction.equals("asc") && !direction.equals("desc")) {
            throw ValidationException.field("orderDirection", "Invalid enum value. Expected 'asc' | 'desc'");
        }
        List<String> types = new ArrayList<>();
        for (String t : memberTypeFilter == null ? List.<String>of() : memberTypeFilter) {
            switch (t.strip()) {
                case "" -> {}
                case "users" -> types.add("user");
                case "machineIdentities" -> types.add("identity");
                default ->
                    throw ValidationException.field(
                            "memberTypeFilter", "Invalid enum value. Expected 'users' | 'machineIdentities'");
            }
        }
        if (types.isEmpty()) {
            types = List.of("user", "identity");
        }
        return groupMembers.listMembers(
                actor,
                groupId,
                query(Paging.of(offset, limit, 10, 100), search(search), null, null, types, direction.equals("desc")));
    }

    /** Finds people by username in the actor's organization only. */
    private Function<String, Optional<GroupMemberService.Person>> people(Actor actor) {
        return username -> members.byEmail(actor.orgId(), username)
                .map(m -> new GroupMemberService.Person(m.userId(), m.email(), m.email(), m.firstName(), m.lastName()));
    }

    private static String search(String raw) {
        String s = blankToNull(raw);
        if (s != null && !SEARCH.matcher(s).matches()) {
            throw ValidationException.field(
                    "search", "Invalid pattern: only alphanumeric characters, -, ., @ are allowed.");
        }
        return s;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** A member list query; limits 1 to 100, default 10, as Infisical's group lists. */
    private static GroupMemberService.ListQuery query(
            Paging page,
            String search,
            String username,
            Boolean inGroup,
            List<String> memberTypes,
            boolean descending) {
        return new GroupMemberService.ListQuery(
                page.offset(), page.limit(), search, username, inGroup, memberTypes, descending);
    }
}
