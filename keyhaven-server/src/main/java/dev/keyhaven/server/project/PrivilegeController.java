package dev.keyhaven.server.project;

import dev.keyhaven.server.access.PrivilegeService;
import dev.keyhaven.server.access.PrivilegeService.Grantee;
import dev.keyhaven.server.access.ProjectAction;
import dev.keyhaven.server.access.ProjectPermission;
import dev.keyhaven.server.access.ProjectSubject;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.identity.Identity;
import dev.keyhaven.server.identity.IdentityService;
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

/** Identity additional privileges with V2 rules: {@code /api/v2/identity-project-additional-privilege}. */
@RestController
public class PrivilegeController {
    private static final String BASE = "/api/v2/identity-project-additional-privilege";
    private final ProjectService projects;
    private final IdentityService identities;
    private final PrivilegeService privileges;

    public PrivilegeController(ProjectService projects, IdentityService identities, PrivilegeService privileges) {
        this.projects = projects;
        this.identities = identities;
        this.privileges = privileges;
    }

    record CreateBody(
            String identityId,
            String projectId,
            String slug,
            List<Map<String, Object>> permissions,
            PrivilegeService.Type type) {}

    record UpdateBody(String slug, List<Map<String, Object>> permissions, PrivilegeService.Type type) {}

    @PostMapping(BASE)
    @ProjectPermission(subject = ProjectSubject.IDENTITY, actions = ProjectAction.GRANT_PRIVILEGES)
    public Map<String, Object> create(Actor actor, @RequestBody CreateBody body) {
        if (body.identityId() == null) {
            throw ValidationException.required("identityId");
        }
        Project p = projects.resolve(actor, body.projectId(), null);
        Identity identity = identities.load(actor, body.identityId());
        return Map.of(
                "privilege",
                privileges.create(
                        actor,
                        p.id(),
                        p.name(),
                        Grantee.IDENTITY,
                        identity.id(),
                        body.slug(),
                        body.permissions(),
                        body.type()));
    }

    @PatchMapping(BASE + "/{privilegeId}")
    @ProjectPermission(subject = ProjectSubject.IDENTITY, actions = ProjectAction.GRANT_PRIVILEGES)
    public Map<String, Object> update(Actor actor, @PathVariable String privilegeId, @RequestBody UpdateBody body) {
        Project p = projectOf(actor, privilegeId);
        return Map.of(
                "privilege",
                privileges.update(
                        actor,
                        p.id(),
                        p.name(),
                        Grantee.IDENTITY,
                        privilegeId,
                        body.slug(),
                        body.permissions(),
                        body.type()));
    }

    @DeleteMapping(BASE + "/{privilegeId}")
    @ProjectPermission(subject = ProjectSubject.IDENTITY, actions = ProjectAction.GRANT_PRIVILEGES)
    public Map<String, Object> delete(Actor actor, @PathVariable String privilegeId) {
        Project p = projectOf(actor, privilegeId);
        return Map.of("privilege", privileges.delete(actor, p.id(), p.name(), Grantee.IDENTITY, privilegeId));
    }

    @GetMapping(BASE + "/{privilegeId}")
    @ProjectPermission(subject = ProjectSubject.IDENTITY, actions = ProjectAction.READ)
    public Map<String, Object> get(Actor actor, @PathVariable String privilegeId) {
        Project p = projectOf(actor, privilegeId);
        return Map.of("privilege", privileges.get(actor, p.id(), Grantee.IDENTITY, privilegeId));
    }

    @GetMapping(BASE + "/slug/{slug}")
    @ProjectPermission(subject = ProjectSubject.IDENTITY, actions = ProjectAction.READ)
    public Map<String, Object> getBySlug(
            Actor actor,
            @PathVariable String slug,
            @RequestParam String identityId,
            @RequestParam(required = false) String projectSlug,
            @RequestParam(required = false) String projectId) {
        Project p = projects.resolve(actor, projectId, projectSlug);
        Identity identity = identities.load(actor, identityId);
        return Map.of("privilege", privileges.getBySlug(actor, p.id(), Grantee.IDENTITY, identity.id(), slug));
    }

    @GetMapping(BASE)
    @ProjectPermission(subject = ProjectSubject.IDENTITY, actions = ProjectAction.READ)
    public Map<String, Object> list(Actor actor, @RequestParam String identityId, @RequestParam String projectId) {
        Project p = projects.resolve(actor, projectId, null);
        Identity identity = identities.load(actor, identityId);
        return Map.of("privileges", privileges.list(actor, p.id(), Grantee.IDENTITY, identity.id()));
    }

    private Project projectOf(Actor actor, String privilegeId) {
        String projectId = privileges
                .projectOf(privilegeId)
                .orElseThrow(() -> ApiException.notFound("Privilege with ID " + privilegeId + " not found"));
        try {
            return projects.resolve(actor, projectId, null);
        } catch (ApiException e) {
            throw ApiException.notFound("Privilege with ID " + privilegeId + " not found");
        }
    }
}
