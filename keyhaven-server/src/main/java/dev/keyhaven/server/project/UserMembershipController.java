package dev.keyhaven.server.project;

import dev.keyhaven.server.access.ProjectAction;
import dev.keyhaven.server.access.ProjectPermission;
import dev.keyhaven.server.access.ProjectSubject;
import dev.keyhaven.server.access.RoleGrant;
import dev.keyhaven.server.access.UserMembershipService;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.org.Member;
import dev.keyhaven.server.org.MemberService;
import dev.keyhaven.server.platform.text.EmailAddresses;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.platform.web.ValidationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * People in a project ({@code /api/v2/workspace/:projectId/memberships}, Terraform's
 * {@code infisical_project_user}): add members of the organization by e-mail or username with
 * roles (default {@code member}), list, read one (by membership id, username or user id), change
 * roles, remove. Someone outside the organization is invited to it
 * first ({@code POST /api/v1/invite-org/signup} with the project in {@code projects}).
 */
@RestController
public class UserMembershipController {
    private final ProjectService projects;
    private final UserMembershipService memberships;
    private final MemberService members;

    public UserMembershipController(ProjectService projects, UserMembershipService memberships, MemberService members) {
        this.projects = projects;
        this.memberships = memberships;
        this.members = members;
    }

    record People(List<String> emails, List<String> usernames, List<String> roleSlugs) {}

    @PostMapping({"/api/v2/workspace/{projectId}/memberships", "/api/v1/projects/{projectId}/memberships"})
    @ProjectPermission(subject = ProjectSubject.MEMBER, actions = ProjectAction.CREATE)
    public Map<String, Object> add(Actor actor, @PathVariable String projectId, @RequestBody People body) {
        Project p = projects.resolve(actor, projectId, null);
        List<String> roles =
                body.roleSlugs() == null || body.roleSlugs().isEmpty() ? List.of("member") : body.roleSlugs();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Member m : people(actor, body)) {
            out.add(memberships.addUser(
                    actor,
                    p.id(),
                    p.name(),
                    m.userId(),
                    roles.stream().map(RoleGrant::permanent).toList()));
        }
        return Map.of("memberships", out);
    }

    @DeleteMapping({"/api/v2/workspace/{projectId}/memberships", "/api/v1/projects/{projectId}/memberships"})
    @ProjectPermission(subject = ProjectSubject.MEMBER, actions = ProjectAction.DELETE)
    public Map<String, Object> remove(Actor actor, @PathVariable String projectId, @RequestBody People body) {
        Project p = projects.resolve(actor, projectId, null);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Member m : people(actor, body)) {
            out.add(memberships.removeUser(actor, p.id(), p.name(), m.userId()));
        }
        return Map.of("memberships", out);
    }

    @GetMapping({
        "/api/v2/workspace/{projectId}/memberships",
        "/api/v1/workspace/{projectId}/memberships",
        "/api/v1/projects/{projectId}/memberships"
    })
    @ProjectPermission(subject = ProjectSubject.MEMBER, actions = ProjectAction.READ)
    public Map<String, Object> list(Actor actor, @PathVariable String projectId) {
        Project p = projects.resolve(actor, projectId, null);
        return Map.of("memberships", memberships.listUsers(actor, p.id(), userLookup(p)));
    }

    @GetMapping({
        "/api/v1/workspace/{projectId}/memberships/{membershipId}",
        "/api/v1/projects/{projectId}/memberships/{membershipId}"
    })
    @ProjectPermission(subject = ProjectSubject.MEMBER, actions = ProjectAction.READ)
    public Map<String, Object> get(Actor actor, @PathVariable String projectId, @PathVariable String membershipId) {
        Project p = projects.resolve(actor, projectId, null);
        return Map.of("membership", memberships.getUserMembership(actor, p.id(), membershipId, userLookup(p)));
    }

    record RolesBody(List<RoleGrant> roles) {}

    @PatchMapping("/api/v1/workspace/{projectId}/memberships/{membershipId}")
    @ProjectPermission(subject = ProjectSubject.MEMBER, actions = ProjectAction.EDIT)
    public Map<String, Object> updateRoles(
            Actor actor,
            @PathVariable String projectId,
            @PathVariable String membershipId,
            @RequestBody RolesBody body) {
        Project p = projects.resolve(actor, projectId, null);
        return Map.of("roles", memberships.updateUserRoles(actor, p.id(), p.name(), membershipId, body.roles()));
    }

    @DeleteMapping("/api/v1/workspace/{projectId}/memberships/{membershipId}")
    @ProjectPermission(subject = ProjectSubject.MEMBER, actions = ProjectAction.DELETE)
    public Map<String, Object> removeOne(
            Actor actor, @PathVariable String projectId, @PathVariable String membershipId) {
        Project p = projects.resolve(actor, projectId, null);
        return Map.of("membership", memberships.removeUserMembership(actor, p.id(), p.name(), membershipId));
    }

    record Username(String username) {}

    /** Terraform's read of {@code infisical_project_user}: 404 means the person is no longer a member. */
    @PostMapping("/api/v1/workspace/{projectId}/memberships/details")
    @ProjectPermission(subject = ProjectSubject.MEMBER, actions = ProjectAction.READ)
    public Map<String, Object> details(Actor actor, @PathVariable String projectId, @RequestBody Username body) {
        Project p = projects.resolve(actor, projectId, null);
        if (body.username() == null || body.username().isBlank()) {
            throw ValidationException.required("username");
        }
        String username = body.username().strip().toLowerCase(Locale.ROOT);
        Optional<String> userId = members.byEmail(p.orgId(), username).map(Member::userId);
        return Map.of("membership", memberships.getUserMembershipOf(actor, p.id(), userId, userLookup(p)));
    }

    @GetMapping("/api/v1/projects/{projectId}/user/{userId}/membership")
    @ProjectPermission(subject = ProjectSubject.MEMBER, actions = ProjectAction.READ)
    public Map<String, Object> byUser(Actor actor, @PathVariable String projectId, @PathVariable String userId) {
        Project p = projects.resolve(actor, projectId, null);
        return Map.of("membership", memberships.getUserMembershipOf(actor, p.id(), Optional.of(userId), userLookup(p)));
    }

    private Function<String, Map<String, Object>> userLookup(Project p) {
        return userId -> members.byUser(p.orgId(), userId)
                .map(UserMembershipController::user)
                .orElse(Map.of("id", userId));
    }

    /** The named people, each an active member of the actor's organization; 1 to 100 of them. */
    private List<Member> people(Actor actor, People body) {
        Set<String> emails = new LinkedHashSet<>();
        List<String> given = new ArrayList<>();
        if (body.emails() != null) {
            given.addAll(body.emails());
        }
        if (body.usernames() != null) {
            given.addAll(body.usernames());
        }
        if (given.isEmpty() || given.size() > 100) {
            throw ValidationException.field("emails", "Name 1 to 100 people by e-mail or username");
        }
        for (int i = 0; i < given.size(); i++) {
            emails.add(EmailAddresses.normalize("emails." + i, given.get(i)));
        }
        List<Member> out = new ArrayList<>();
        for (String email : emails) {
            Member m = members.byEmail(actor.orgId(), email)
                    .filter(Member::isActive)
                    .orElseThrow(() -> ApiException.badRequest(
                            email + " is not an active member of the organization; invite them with "
                                    + "POST /api/v1/invite-org/signup and this project in 'projects'"));
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> user(Member m) {
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("id", m.userId());
        u.put("email", m.email());
        u.put("username", m.email());
        u.put("firstName", m.firstName());
        u.put("lastName", m.lastName());
        return u;
    }
}
