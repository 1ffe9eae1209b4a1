package dev.keyhaven.server.project;

import dev.keyhaven.server.access.PrivilegeService;
import dev.keyhaven.server.access.PrivilegeService.Grantee;
import dev.keyhaven.server.access.ProjectAction;
import dev.keyhaven.server.access.ProjectPermission;
import dev.keyhaven.server.access.ProjectSubject;
import dev.keyhaven.server.access.TemporaryRanges;
import dev.keyhaven.server.access.V1Rules;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.identity.Identity;
import dev.keyhaven.server.identity.IdentityService;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.platform.web.ValidationException;
import java.util.LinkedHashMap;
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
 * The V1 identity-privilege routes, {@code /api/v1/additional-privilege/identity}, which
 * Terraform's {@code permission} attribute calls: the project is named by slug, a privilege by
 * identity and slug, and rules travel as V1 rules or as one {@code privilegePermission}. The
 * privilege service does the work and the checks; this class translates names and rules, and
 * answers as the V2 routes do plus {@code projectMembershipId} (the project id, as Infisical).
 */
@RestController
public class PrivilegeV1Controller {
    private static final String BASE = "/api/v1/additional-privilege/identity";
    private final ProjectService projects;
    private final IdentityService identities;
    private final PrivilegeService privileges;

    public PrivilegeV1Controller(ProjectService projects, IdentityService identities, PrivilegeService privileges) {
        this.projects = projects;
        this.identities = identities;
        this.privileges = privileges;
    }

    record CreateBody(
            String identityId,
            String projectSlug,
            String slug,
            List<Map<String, Object>> permissions,
            Map<String, Object> privilegePermission,
            String temporaryMode,
            String temporaryRange,
            String temporaryAccessStartTime) {}

    record Details(
            String slug,
            List<Map<String, Object>> permissions,
            Map<String, Object> privilegePermission,
            Boolean isTemporary,
            String temporaryMode,
            String temporaryRange,
            String temporaryAccessStartTime) {}

    record UpdateBody(String privilegeSlug, String identityId, String projectSlug, Details privilegeDetails) {}

    record DeleteBody(String privilegeSlug, String identityId, String projectSlug) {}

    @PostMapping(BASE + "/permanent")
    @ProjectPermission(subject = ProjectSubject.IDENTITY, actions = ProjectAction.GRANT_PRIVILEGES)
    public Map<String, Object> createPermanent(Actor actor, @RequestBody CreateBody body) {
        return create(actor, body, new PrivilegeService.Type(false, null, null, null));
    }

    @PostMapping(BASE + "/temporary")
    @ProjectPermission(subject = ProjectSubject.IDENTITY, actions = ProjectAction.GRANT_PRIVILEGES)
    public Map<String, Object> createTemporary(Actor actor, @RequestBody CreateBody body) {
        return create(
                actor,
                body,
                temporary("", body.temporaryMode(), body.temporaryRange(), body.temporaryAccessStartTime()));
    }

    @PatchMapping(BASE)
    @ProjectPermission(subject = ProjectSubject.IDENTITY, actions = ProjectAction.GRANT_PRIVILEGES)
    public Map<String, Object> update(Actor actor, @RequestBody UpdateBody body) {
        required("privilegeSlug", body.privilegeSlug());
        required("identityId", body.identityId());
        required("projectSlug", body.projectSlug());
        Details d = body.privilegeDetails();
        if (d == null) {
            throw ValidationException.required("privilegeDetails");
        }
        List<Map<String, Object>> rules = rules("privilegeDetails.", d.permissions(), d.privilegePermission());
        PrivilegeService.Type type = null;
        if (d.isTemporary() != null
                || d.temporaryMode() != null
                || d.temporaryRange() != null
                || d.temporaryAccessStartTime() != null) {
            type = Boolean.FALSE.equals(d.isTemporary())
                    ? new PrivilegeService.Type(false, null, null, null)
                    : temporary(
                            "privilegeDetails.", d.temporaryMode(), d.temporaryRange(), d.temporaryAccessStartTime());
        }
        Project p = projects.resolve(actor, null, body.projectSlug());
        Identity identity = identities.load(actor, body.identityId());
        String id = privilegeId(actor, p, identity, body.privilegeSlug());
        return answer(privileges.update(actor, p.id(), p.name(), Grantee.IDENTITY, id, d.slug(), rules, type));
    }

    @DeleteMapping(BASE)
    @ProjectPermission(subject = ProjectSubject.IDENTITY, actions = ProjectAction.GRANT_PRIVILEGES)
    public Map<String, Object> delete(Actor actor, @RequestBody DeleteBody body) {
        required("privilegeSlug", body.privilegeSlug());
        required("identityId", body.identityId());
        required("projectSlug", body.projectSlug());
        Project p = projects.resolve(actor, null, body.projectSlug());
        Identity identity = identities.load(actor, body.identityId());
        return answer(privileges.delete(
                actor, p.id(), p.name(), Grantee.IDENTITY, privilegeId(actor, p, identity, body.privilegeSlug())));
    }

    @GetMapping(BASE + "/{privilegeSlug}")
    @ProjectPermission(subject = ProjectSubject.IDENTITY, actions = ProjectAction.READ)
    public Map<String, Object> get(
            Actor actor,
            @PathVariable String privilegeSlug,
            @RequestParam String identityId,
            @RequestParam String projectSlug) {
        Project p = projects.resolve(actor, null, projectSlug);
        Identity identity = identities.load(actor, identityId);
        return answer(privileges.getBySlug(actor, p.id(), Grantee.IDENTITY, identity.id(), privilegeSlug));
    }

    @GetMapping(BASE)
    @ProjectPermission(subject = ProjectSubject.IDENTITY, actions = ProjectAction.READ)
    public Map<String, Object> list(Actor actor, @RequestParam String identityId, @RequestParam String projectSlug) {
        Project p = projects.resolve(actor, null, projectSlug);
        Identity identity = identities.load(actor, identityId);
        return Map.of(
                "privileges",
                privileges.list(actor, p.id(), Grantee.IDENTITY, identity.id(), true).stream()
                        .map(PrivilegeV1Controller::v1)
                        .toList());
    }

    private Map<String, Object> create(Actor actor, CreateBody body, PrivilegeService.Type type) {
        required("identityId", body.identityId());
        required("projectSlug", body.projectSlug());
        List<Map<String, Object>> rules = rules("", body.permissions(), body.privilegePermission());
        Project p = projects.resolve(actor, null, body.projectSlug());
        Identity identity = identities.load(actor, body.identityId());
        return answer(
                privileges.create(actor, p.id(), p.name(), Grantee.IDENTITY, identity.id(), body.slug(), rules, type));
    }

    /**
     * The rules to store: {@code privilegePermission} wins over {@code permissions}, as in
     * Infisical; with neither, Infisical answers 401, and so does this route.
     */
    private static List<Map<String, Object>> rules(
            String prefix, List<Map<String, Object>> permissions, Map<String, Object> privilegePermission) {
        if (privilegePermission != null) {
            return V1Rules.toV2(V1Rules.fromPrivilegePermission(prefix + "privilegePermission", privilegePermission));
        }
        if (permissions == null) {
            throw ApiException.unauthorized("Permission or privilegePermission must be provided");
        }
        return V1Rules.toV2(permissions);
    }

    /** The V1 routes take the temporary fields at the top level; checked here so errors name them as sent. */
    private static PrivilegeService.Type temporary(String prefix, String mode, String range, String start) {
        String m = mode == null ? "relative" : mode;
        if (!"relative".equals(m)) {
            throw ValidationException.field(prefix + "temporaryMode", "Invalid enum value. Expected 'relative'");
        }
        TemporaryRanges.millis(prefix + "temporaryRange", range);
        TemporaryRanges.start(prefix + "temporaryAccessStartTime", start, 0);
        return new PrivilegeService.Type(true, m, range, start);
    }

    private String privilegeId(Actor actor, Project p, Identity identity, String slug) {
        return privileges
                .idBySlug(actor, p.id(), identity.id(), slug)
                .orElseThrow(() -> ApiException.notFound("Privilege with slug " + slug + " not found"));
    }

    private static Map<String, Object> answer(Map<String, Object> privilege) {
        return Map.of("privilege", v1(privilege));
    }

    private static Map<String, Object> v1(Map<String, Object> privilege) {
        Map<String, Object> out = new LinkedHashMap<>();
        V1Rules.withV1Rules(privilege).forEach((k, v) -> {
            out.put(k, v);
            if ("projectId".equals(k)) {
                out.put("projectMembershipId", v);
            }
        });
        return out;
    }

    private static void required(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw ValidationException.required(field);
        }
    }
}
