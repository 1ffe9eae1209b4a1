package dev.keyhaven.server.project;

import dev.keyhaven.server.access.MembershipService;
import dev.keyhaven.server.access.Permission;
import dev.keyhaven.server.access.Permission.Scope;
import dev.keyhaven.server.access.RoleGrant;
import dev.keyhaven.server.auth.Actor;
import dev.keyhaven.server.auth.user.EmailAddresses;
import dev.keyhaven.server.org.Member;
import dev.keyhaven.server.org.MemberService;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.platform.web.ValidationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * People in a project ({@code /api/v2/workspace/:projectId/memberships}, Terraform's
 * {@code infisical_project_user}): add members of the organization by e-mail or username with
 * roles (default {@code member}), list, remove. Someone outside the organization is invited to it
 * first ({@code POST /api/v1/invite-org/signup} with the project in {@code projects}).
 */
@RestController
public class UserMembershipController {
    private final ProjectService projects;
    private final MembershipService memberships;
    private final MemberService members;

    public UserMembershipController(ProjectService projects, MembershipService memberships, MemberService members) {
        this.projects = projects;
        this.memberships = memberships;
        this.members = members;
    }

    record People(List<String> emails, List<String> usernames, List<String> roleSlugs) {}

    @PostMapping({"/api/v2/workspace/{projectId}/memberships", "/api/v1/projects/{projectId}/memberships"})
    @Permission(scope = Scope.PROJECT, subject = "member", actions = "create")
    public Map<String, Object> add(Actor actor, @PathVariable String projectId, @RequestBody People body) {
        Project p = projects.resolve(actor, projectId, null);
        List<String> roles = body.roleSlugs() == null || body.roleSlugs().isEmpty() ? List.of("member") : body.roleSlugs();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Member m : people(actor, body)) {
            out.add(memberships.addUser(actor, p.id(), p.name(), m.userId(), roles.stream().map(RoleGrant::permanent).toList()));
        }
        return Map.of("memberships", out);
    }

    @DeleteMapping({"/api/v2/workspace/{projectId}/memberships", "/api/v1/projects/{projectId}/memberships"})
    @Permission(scope = Scope.PROJECT, subject = "member", actions = "delete")
    public Map<String, Object> remove(Actor actor, @PathVariable String projectId, @RequestBody People body) {
        Project p = projects.resolve(actor, projectId, null);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Member m : people(actor, body)) {
            out.add(memberships.removeUser(actor, p.id(), p.name(), m.userId()));
        }
        return Map.of("memberships", out);
    }

    @GetMapping({"/api/v2/workspace/{projectId}/memberships", "/api/v1/projects/{projectId}/memberships"})
    @Permission(scope = Scope.PROJECT, subject = "member", actions = "read")
    public Map<String, Object> list(Actor actor, @PathVariable String projectId) {
        Project p = projects.resolve(actor, projectId, null);
        return Map.of("memberships", memberships.listUsers(actor, p.id(), userId -> members.byUser(p.orgId(), userId)
                .map(UserMembershipController::user).orElse(Map.of("id", userId))));
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
            Member m = members.byEmail(actor.orgId(), email).filter(Member::isActive).orElseThrow(() ->
                    ApiException.badRequest(email + " is not an active member of the organization; invite them with "
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
