package dev.keyhaven.server.access;

import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.audit.AuditEvent;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.audit.AuditLog;
import dev.keyhaven.server.crypto.SecretDigests;
import dev.keyhaven.server.platform.db.Ids;
import dev.keyhaven.server.platform.json.Iso;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.platform.web.ValidationException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Additional privileges: extra rules (allow or deny) for one person or one identity in one
 * project, permanent or temporary. Granting one needs {@code grant-privileges} on the holder's
 * subject ({@code member} for people, {@code identity} for identities) and every rule it grants;
 * nobody grants privileges to themselves, and the holder must be a direct project member. A
 * temporary privilege counts until its end time only. Granting, changing or revoking a privilege
 * of someone needs everything they hold in the project, too
 * ({@link PrincipalBoundary#requireCoversInProject}): a deny privilege narrows its holder.
 */
@Service
public class PrivilegeService {
    private static final TypeReference<List<Map<String, Object>>> RULES = new TypeReference<>() {};

    /** Who holds a privilege: the membership actor type and the project subject that governs it. */
    public enum Grantee {
        USER("user", ProjectSubject.MEMBER),
        IDENTITY("identity", ProjectSubject.IDENTITY);

        private final String actorType;
        private final ProjectSubject subject;

        Grantee(String actorType, ProjectSubject subject) {
            this.actorType = actorType;
            this.subject = subject;
        }

        /** Identities can be limited by id in rules ({@code identityId}); people cannot. */
        Map<String, Object> resource(String holderId) {
            return this == IDENTITY ? Map.of("identityId", holderId) : Map.of();
        }
    }

    /** A person's direct membership of a project, the handle Infisical's user-privilege routes use. */
    public record UserMembership(String id, String projectId, String userId) {}

    private final PrivilegeStore store;
    private final ProjectMembershipStore memberships;
    private final CustomRoleRules compiled;
    private final PermissionService permissions;
    private final PrincipalBoundary boundary;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final Clock clock;

    public PrivilegeService(
            PrivilegeStore store,
            ProjectMembershipStore memberships,
            CustomRoleRules compiled,
            PermissionService permissions,
            PrincipalBoundary boundary,
            AuditLog audit,
            TransactionTemplate tx,
            ObjectMapper json,
            Clock clock) {
        this.store = store;
        this.memberships = memberships;
        this.compiled = compiled;
        this.permissions = permissions;
        this.boundary = boundary;
        this.audit = audit;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
    }

    /** Permanent ({@code isTemporary:false}) or temporary ({@code relative}, range, start time). */
    public record Type(
            Boolean isTemporary, String temporaryMode, String temporaryRange, String temporaryAccessStartTime) {}

    public Map<String, Object> create(
            Actor actor,
            String projectId,
            String projectName,
            Grantee grantee,
            String holderId,
            String slug,
            List<Map<String, Object>> rules,
            Type type) {
        PermissionSet mine = permissions.project(actor, projectId);
        mine.require(grantee.subject, ProjectAction.GRANT_PRIVILEGES, grantee.resource(holderId));
        refuseSelf(actor, grantee, holderId);
        if (memberships.find(projectId, grantee.actorType, holderId).isEmpty()) {
            throw ApiException.badRequest(
                    "The " + grantee.actorType + " is not a member of this project; add it first");
        }
        boundary.requireCoversInProject(actor, projectId, grantee.actorType, holderId);
        String s = slug == null || slug.isBlank() ? "privilege-" + SecretDigests.randomHex(4) : checkSlug(slug);
        List<Map<String, Object>> normalized = RuleParser.normalize("permissions", rules);
        refuseEscalation(mine, normalized);
        if (store.bySlug(projectId, grantee.actorType, holderId, s).isPresent()) {
            throw ApiException.badRequest(
                    "The " + grantee.actorType + " already has a privilege named '" + s + "' in this project");
        }
        long now = clock.millis();
        long[] window = window(type, now);
        PrivilegeStore.PrivilegeRow row = new PrivilegeStore.PrivilegeRow(
                Ids.newId(),
                projectId,
                grantee.actorType,
                holderId,
                s,
                json.writeValueAsString(normalized),
                window != null,
                window != null ? "relative" : null,
                window != null ? type.temporaryRange() : null,
                window != null ? window[0] : null,
                window != null ? window[1] : null,
                now,
                now);
        tx.executeWithoutResult(st -> {
            store.insert(row);
            audit.record(AuditEvent.of(
                    actor,
                    projectId,
                    projectName,
                    grantee == Grantee.USER
                            ? AuditEventType.CREATE_USER_ADDITIONAL_PRIVILEGE
                            : AuditEventType.CREATE_IDENTITY_ADDITIONAL_PRIVILEGE,
                    Map.of(grantee.actorType + "Id", holderId, "privilegeId", row.id(), "slug", s)));
        });
        return toJson(row, true);
    }

    public Map<String, Object> update(
            Actor actor,
            String projectId,
            String projectName,
            Grantee grantee,
            String privilegeId,
            String slug,
            List<Map<String, Object>> rules,
            Type type) {
        PermissionSet mine = permissions.project(actor, projectId);
        PrivilegeStore.PrivilegeRow current = find(projectId, grantee, privilegeId);
        mine.require(grantee.subject, ProjectAction.GRANT_PRIVILEGES, grantee.resource(current.actorId()));
        refuseSelf(actor, grantee, current.actorId());
        boundary.requireCoversInProject(actor, projectId, grantee.actorType, current.actorId());
        String s = slug == null ? current.slug() : checkSlug(slug);
        if (!s.equals(current.slug())
                && store.bySlug(projectId, grantee.actorType, current.actorId(), s)
                        .isPresent()) {
            throw ApiException.badRequest(
                    "The " + grantee.actorType + " already has a privilege named '" + s + "' in this project");
        }
        String permissionsJson = current.permissions();
        if (rules != null) {
            List<Map<String, Object>> normalized = RuleParser.normalize("permissions", rules);
            refuseEscalation(mine, normalized);
            permissionsJson = json.writeValueAsString(normalized);
        }
        long now = clock.millis();
        long[] window = type == null ? null : window(type, now);
        boolean keepTiming = type == null;
        PrivilegeStore.PrivilegeRow row = new PrivilegeStore.PrivilegeRow(
                current.id(),
                projectId,
                grantee.actorType,
                current.actorId(),
                s,
                permissionsJson,
                keepTiming ? current.temporary() : window != null,
                keepTiming ? current.mode() : window != null ? "relative" : null,
                keepTiming ? current.range() : window != null ? type.temporaryRange() : null,
                keepTiming ? current.startTime() : window != null ? window[0] : null,
                keepTiming ? current.endTime() : window != null ? window[1] : null,
                current.createdAt(),
                Math.max(now, current.updatedAt() + 1));
        tx.executeWithoutResult(st -> {
            store.update(row);
            audit.record(AuditEvent.of(
                    actor,
                    projectId,
                    projectName,
                    grantee == Grantee.USER
                            ? AuditEventType.UPDATE_USER_ADDITIONAL_PRIVILEGE
                            : AuditEventType.UPDATE_IDENTITY_ADDITIONAL_PRIVILEGE,
                    Map.of(grantee.actorType + "Id", current.actorId(), "privilegeId", row.id(), "slug", s)));
        });
        return toJson(row, true);
    }

    public Map<String, Object> delete(
            Actor actor, String projectId, String projectName, Grantee grantee, String privilegeId) {
        PermissionSet mine = permissions.project(actor, projectId);
        PrivilegeStore.PrivilegeRow current = find(projectId, grantee, privilegeId);
        mine.require(grantee.subject, ProjectAction.GRANT_PRIVILEGES, grantee.resource(current.actorId()));
        boundary.requireCoversInProject(actor, projectId, grantee.actorType, current.actorId());
        tx.executeWithoutResult(st -> {
            store.delete(current.id());
            audit.record(AuditEvent.of(
                    actor,
                    projectId,
                    projectName,
                    grantee == Grantee.USER
                            ? AuditEventType.DELETE_USER_ADDITIONAL_PRIVILEGE
                            : AuditEventType.DELETE_IDENTITY_ADDITIONAL_PRIVILEGE,
                    Map.of(
                            grantee.actorType + "Id",
                            current.actorId(),
                            "privilegeId",
                            current.id(),
                            "slug",
                            current.slug())));
        });
        return toJson(current, true);
    }

    public Map<String, Object> get(Actor actor, String projectId, Grantee grantee, String privilegeId) {
        PermissionSet mine = permissions.project(actor, projectId);
        PrivilegeStore.PrivilegeRow current = find(projectId, grantee, privilegeId);
        mine.require(grantee.subject, ProjectAction.READ, grantee.resource(current.actorId()));
        return toJson(current, true);
    }

    public Map<String, Object> getBySlug(Actor actor, String projectId, Grantee grantee, String holderId, String slug) {
        permissions.project(actor, projectId).require(grantee.subject, ProjectAction.READ, grantee.resource(holderId));
        return toJson(
                store.bySlug(projectId, grantee.actorType, holderId, slug)
                        .orElseThrow(() -> ApiException.notFound("Privilege '" + slug + "' not found")),
                true);
    }

    /** The holder's privileges in the project, by slug, without their rules. */
    public List<Map<String, Object>> list(Actor actor, String projectId, Grantee grantee, String holderId) {
        return list(actor, projectId, grantee, holderId, false);
    }

    /** The holder's privileges in the project; with their rules for the V1 routes, which list them too. */
    public List<Map<String, Object>> list(
            Actor actor, String projectId, Grantee grantee, String holderId, boolean withPermissions) {
        permissions.project(actor, projectId).require(grantee.subject, ProjectAction.READ, grantee.resource(holderId));
        return store.of(projectId, grantee.actorType, holderId).stream()
                .map(p -> toJson(p, withPermissions))
                .toList();
    }

    /** A privilege by id (any project), so the caller can resolve and check its project. */
    public Optional<String> projectOf(String privilegeId) {
        return Ids.looksLikeId(privilegeId)
                ? store.byId(privilegeId).map(PrivilegeStore.PrivilegeRow::projectId)
                : Optional.empty();
    }

    /**
     * The id of the identity's privilege {@code slug} in the project, for the V1 routes that name
     * a privilege by slug; the caller then goes through the checked methods by id. Only an actor
     * that may read the identity learns whether the slug exists (403 before any lookup otherwise).
     */
    public Optional<String> idBySlug(Actor actor, String projectId, String identityId, String slug) {
        permissions
                .project(actor, projectId)
                .require(Grantee.IDENTITY.subject, ProjectAction.READ, Grantee.IDENTITY.resource(identityId));
        return store.bySlug(projectId, Grantee.IDENTITY.actorType, identityId, slug)
                .map(PrivilegeStore.PrivilegeRow::id);
    }

    /** A person's project membership by its id (any project), so the caller can resolve and check its project. */
    public Optional<UserMembership> userMembership(String membershipId) {
        return (Ids.looksLikeId(membershipId)
                        ? memberships.byId(membershipId)
                        : Optional.<ProjectMembershipStore.MembershipRow>empty())
                .filter(m -> Grantee.USER.actorType.equals(m.actorType()))
                .map(m -> new UserMembership(m.id(), m.projectId(), m.actorId()));
    }

    private static void refuseSelf(Actor actor, Grantee grantee, String holderId) {
        if (actor.type().wire().equals(grantee.actorType) && actor.id().equals(holderId)) {
            throw ApiException.forbidden(
                    grantee == Grantee.USER
                            ? "You cannot grant privileges to yourself"
                            : "An identity cannot grant privileges to itself");
        }
    }

    private void refuseEscalation(PermissionSet mine, List<Map<String, Object>> normalized) {
        if (!mine.coversAllOf(new PermissionSet(RuleParser.compile(normalized, "privilege")))) {
            throw ApiException.forbidden("Failed to grant the privilege: it allows more than you hold");
        }
    }

    private long[] window(Type type, long now) {
        if (type == null || !Boolean.TRUE.equals(type.isTemporary())) {
            return null;
        }
        if (!"relative".equals(type.temporaryMode())) {
            throw ValidationException.field("type.temporaryMode", "Invalid enum value. Expected 'relative'");
        }
        long range = TemporaryRanges.millis("type.temporaryRange", type.temporaryRange());
        long start = TemporaryRanges.start("type.temporaryAccessStartTime", type.temporaryAccessStartTime(), now);
        return new long[] {start, start + range};
    }

    private PrivilegeStore.PrivilegeRow find(String projectId, Grantee grantee, String privilegeId) {
        return (Ids.looksLikeId(privilegeId) ? store.byId(privilegeId) : Optional.<PrivilegeStore.PrivilegeRow>empty())
                .filter(p -> p.projectId().equals(projectId) && p.actorType().equals(grantee.actorType))
                .orElseThrow(() -> ApiException.notFound("Privilege with ID " + privilegeId + " not found"));
    }

    private static String checkSlug(String slug) {
        if (slug.length() > 60 || !slug.matches("^[a-z0-9]+(?:-[a-z0-9]+)*$")) {
            throw ValidationException.field(
                    "slug", "Privilege slugs are 1 to 60 lower-case letters, digits and single hyphens");
        }
        return slug;
    }

    private Map<String, Object> toJson(PrivilegeStore.PrivilegeRow p, boolean withPermissions) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("slug", p.slug());
        if (Grantee.IDENTITY.actorType.equals(p.actorType())) {
            m.put("identityId", p.actorId());
            m.put("projectId", p.projectId());
        }
        m.put("isTemporary", p.temporary());
        m.put("temporaryMode", p.mode());
        m.put("temporaryRange", p.range());
        m.put("temporaryAccessStartTime", Iso.ofNullable(p.startTime()));
        m.put("temporaryAccessEndTime", Iso.ofNullable(p.endTime()));
        if (withPermissions) {
            m.put("permissions", json.readValue(p.permissions(), RULES));
        }
        m.put("createdAt", Iso.of(p.createdAt()));
        m.put("updatedAt", Iso.of(p.updatedAt()));
        if (Grantee.USER.actorType.equals(p.actorType())) {
            m.put(
                    "projectMembershipId",
                    memberships
                            .find(p.projectId(), p.actorType(), p.actorId())
                            .map(ProjectMembershipStore.MembershipRow::id)
                            .orElse(null));
            m.put("userId", p.actorId());
            m.put("projectId", p.projectId());
        }
        return m;
    }
}
