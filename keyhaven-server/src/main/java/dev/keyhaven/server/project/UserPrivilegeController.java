package dev.keyhaven.server.project;

import dev.keyhaven.server.access.PeopleOnly;
import dev.keyhaven.server.access.PrivilegeService;
import dev.keyhaven.server.access.PrivilegeService.Grantee;
import dev.keyhaven.server.access.ProjectAction;
import dev.keyhaven.server.access.ProjectPermission;
import dev.keyhaven.server.access.ProjectSubject;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.platform.web.ValidationException;
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

/**
 * People's additional privileges with V2 rules: {@code /api/v1/user-project-additional-privilege}.
 * The person is named by their project membership id, and only a person's session may call these
 * routes, as in Infisical.
 */
@RestController
public class UserPrivilegeController {
    private static final String BASE = "/api/v1/user-project-additional-privilege";
    private final ProjectService projects;
    private final PrivilegeService privileges;

    public UserPrivilegeController(ProjectService projects, PrivilegeService privileges) {
        this.projects = projects;
        this.privileges = privileges;
    }

    record CreateBody(
            String projectMembershipId,
            String slug,
            List<Map<String, Object>> permissions,
            PrivilegeService.Type type) {}

    record UpdateBody(String slug, List<Map<String, Object>> permissions, PrivilegeService.Type type) {}

    /** The project and person behind a membership id of the caller's organization. */
    private record Holder(Project project, String userId) {}

    @PostMapping(BASE)
    @PeopleOnly
    @ProjectPermission(subject = ProjectSubject.MEMBER, actions = ProjectAction.GRANT_PRIVILEGES)
    public Map<String, Object> create(Actor actor, @RequestBody CreateBody body) {
        Holder h = holder(actor, body.projectMembershipId());
        return Map.of(
                "privilege",
                privileges.create(
                        actor,
                        h.project().id(),
                        h.project().name(),
                        Grantee.USER,
                        h.userId(),
                        body.slug(),
                        body.permissions(),
                        body.type()));
    }

    @PatchMapping(BASE + "/{privilegeId}")
    @PeopleOnly
    @ProjectPermission(subject = ProjectSubject.MEMBER, actions = ProjectAction.GRANT_PRIVILEGES)
    public Map<String, Object> update(Actor actor, @PathVariable String privilegeId, @RequestBody UpdateBody body) {
        Project p = projectOf(actor, privilegeId);
        return Map.of(
                "privilege",
                privileges.update(
                        actor,
                        p.id(),
                        p.name(),
                        Grantee.USER,
                        privilegeId,
                        body.slug(),
                        body.permissions(),
                        body.type()));
    }

    @DeleteMapping(BASE + "/{privilegeId}")
    @PeopleOnly
    @ProjectPermission(subject = ProjectSubject.MEMBER, actions = ProjectAction.GRANT_PRIVILEGES)
    public Map<String, Object> delete(Actor actor, @PathVariable String privilegeId) {
        Project p = projectOf(actor, privilegeId);
        return Map.of("privilege", privileges.delete(actor, p.id(), p.name(), Grantee.USER, privilegeId));
    }

    @GetMapping(BASE + "/{privilegeId}")
    @PeopleOnly
    @ProjectPermission(subject = ProjectSubject.MEMBER, actions = ProjectAction.READ)
    public Map<String, Object> get(Actor actor, @PathVariable String privilegeId) {
        Project p = projectOf(actor, privilegeId);
        return Map.of("privilege", privileges.get(actor, p.id(), Grantee.USER, privilegeId));
    }

    @GetMapping(BASE)
    @PeopleOnly
    @ProjectPermission(subject = ProjectSubject.MEMBER, actions = ProjectAction.READ)
    public Map<String, Object> list(Actor actor, @RequestParam String projectMembershipId) {
        Holder h = holder(actor, projectMembershipId);
        return Map.of("privileges", privileges.list(actor, h.project().id(), Grantee.USER, h.userId()));
    }

    private Holder holder(Actor actor, String membershipId) {
        if (membershipId == null || membershipId.isBlank()) {
            throw ValidationException.required("projectMembershipId");
        }
        ApiException notFound = ApiException.notFound("Project membership with ID " + membershipId + " not found");
        PrivilegeService.UserMembership m =
                privileges.userMembership(membershipId.strip()).orElseThrow(() -> notFound);
        try {
            return new Holder(projects.resolve(actor, m.projectId(), null), m.userId());
        } catch (ApiException e) {
            throw notFound;
        }
    }

    private Project projectOf(Actor actor, String privilegeId) {
        ApiException notFound =
                ApiException.notFound("User additional privilege with ID " + privilegeId + " not found");
        String projectId = privileges.projectOf(privilegeId).orElseThrow(() -> notFound);
        try {
            return projects.resolve(actor, projectId, null);
        } catch (ApiException e) {
            throw notFound;
        }
    }
}
