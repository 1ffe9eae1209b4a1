package dev.keyhaven.server.identity;

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
import dev.keyhaven.server.org.OrgService;
import dev.keyhaven.server.platform.db.Ids;
import dev.keyhaven.server.platform.json.Iso;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.platform.web.ValidationException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Machine identities of an organization: create, read, rename, delete, and their org role.
 * An identity from another org is reported as not found, so ids cannot be probed across orgs.
 * Every change to an identity, and every change to how it logs in, passes its permission
 * boundary ({@link #loadForChange}): the actor must hold at least everything the identity holds.
 */
@Service
public class IdentityService {
    private final IdentityStore store;
    private final OrgService orgs;
    private final PermissionService permissions;
    private final MembershipService memberships;
    private final OrgRoleService orgRoles;
    private final PrincipalBoundary boundary;
    private final MachineAuthMethods methods;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    public IdentityService(
            IdentityStore store,
            OrgService orgs,
            PermissionService permissions,
            MembershipService memberships,
            OrgRoleService orgRoles,
            PrincipalBoundary boundary,
            MachineAuthMethods methods,
            AuditLog audit,
            TransactionTemplate tx,
            Clock clock) {
        this.store = store;
        this.orgs = orgs;
        this.permissions = permissions;
        this.memberships = memberships;
        this.orgRoles = orgRoles;
        this.boundary = boundary;
        this.methods = methods;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    public record IdentityView(Identity identity, String role, List<String> authMethods) {
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", identity.id());
            m.put("name", identity.name());
            m.put("orgId", identity.orgId());
            m.put("role", role);
            m.put("authMethods", authMethods);
            m.put("metadata", identity.metadata());
            m.put("createdAt", Iso.of(identity.createdAt()));
            m.put("updatedAt", Iso.of(identity.updatedAt()));
            return m;
        }
    }

    public IdentityView create(
            Actor actor, String organizationId, String name, String role, List<Map<String, Object>> metadata) {
        permissions.org(actor).require(OrgSubject.IDENTITY, OrgAction.CREATE);
        if (organizationId != null && !organizationId.equals(actor.orgId())) {
            throw ApiException.forbidden("You can only create identities in your own organization");
        }
        String orgRole = role == null ? "no-access" : role;
        checkGrantable(actor, orgRole);
        String identityName = requireName(name);
        long now = clock.millis();
        Identity identity = new Identity(Ids.newId(), actor.orgId(), identityName, metadata(metadata), now, now);
        tx.executeWithoutResult(s -> {
            store.insert(identity);
            orgs.addMember(actor.orgId(), "identity", identity.id(), orgRole);
            audit.record(AuditEvent.of(
                    actor,
                    null,
                    null,
                    AuditEventType.CREATE_IDENTITY,
                    Map.of("identityId", identity.id(), "name", identityName)));
        });
        return new IdentityView(identity, orgRole, List.of());
    }

    /** Creates an identity without an acting caller: only for instance bootstrap. */
    public Identity createForBootstrap(String orgId, String name) {
        long now = clock.millis();
        Identity identity = new Identity(Ids.newId(), orgId, name, List.of(), now, now);
        store.insert(identity);
        orgs.addMember(orgId, "identity", identity.id(), "admin");
        return identity;
    }

    public IdentityView get(Actor actor, String identityId) {
        permissions.org(actor).require(OrgSubject.IDENTITY, OrgAction.READ);
        return view(load(actor, identityId));
    }

    public Map<String, Object> list(Actor actor, String orgId, int offset, int limit) {
        permissions.org(actor).require(OrgSubject.IDENTITY, OrgAction.READ);
        if (orgId != null && !orgId.equals(actor.orgId())) {
            throw ApiException.forbidden("You can only list identities of your own organization");
        }
        List<Identity> page = store.list(actor.orgId(), offset, limit);
        List<String> ids = page.stream().map(Identity::id).toList();
        Map<String, List<String>> attached = methods.attachedTo(ids);
        OrgService.ActiveRoles roles = orgs.activeRoles(actor.orgId(), "identity", ids);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Identity i : page) {
            out.add(new IdentityView(i, roles.of(i.id()).orElse("no-access"), attached.get(i.id())).toJson());
        }
        return Map.of("identities", out, "totalCount", store.count(actor.orgId()));
    }

    /**
     * Renames the identity, replaces its metadata or changes its org role. The actor must hold
     * everything the identity holds before the change and after it (its name and metadata fill
     * templated rules, so both can widen what it may do), and an identity changes neither its own
     * role nor its own metadata.
     */
    public IdentityView update(
            Actor actor, String identityId, String name, String role, List<Map<String, Object>> metadata) {
        permissions.org(actor).require(OrgSubject.IDENTITY, OrgAction.EDIT);
        Identity current = loadForChange(actor, identityId);
        boolean self = !actor.isUser() && actor.id().equals(identityId);
        if (role != null) {
            checkGrantable(actor, role);
            if (self) {
                throw ApiException.forbidden("An identity cannot change its own role");
            }
        }
        List<Map<String, Object>> newMetadata = metadata == null ? current.metadata() : metadata(metadata);
        if (self && !newMetadata.equals(current.metadata())) {
            throw ApiException.forbidden("An identity cannot change its own metadata: rules read it, so it could widen "
                    + "its own access; ask someone who may edit identities");
        }
        Identity updated = new Identity(
                current.id(),
                current.orgId(),
                name == null ? current.name() : requireName(name),
                newMetadata,
                current.createdAt(),
                clock.millis());
        boundary.requireCoversAfter(actor, asActor(updated, role != null ? role : roleOf(current)));
        tx.executeWithoutResult(s -> {
            store.update(updated);
            if (role != null) {
                orgs.changeRole(actor.orgId(), "identity", identityId, role);
            }
            audit.record(
                    AuditEvent.of(actor, null, null, AuditEventType.UPDATE_IDENTITY, Map.of("identityId", identityId)));
        });
        return view(updated);
    }

    public IdentityView delete(Actor actor, String identityId) {
        permissions.org(actor).require(OrgSubject.IDENTITY, OrgAction.DELETE);
        Identity current = loadForChange(actor, identityId);
        IdentityView before = view(current);
        tx.executeWithoutResult(s -> {
            memberships.removeFromAllProjects("identity", identityId);
            orgs.removeMember(actor.orgId(), "identity", identityId);
            store.delete(identityId);
            audit.record(
                    AuditEvent.of(actor, null, null, AuditEventType.DELETE_IDENTITY, Map.of("identityId", identityId)));
        });
        return before;
    }

    /**
     * The identity, if it belongs to the actor's org. Another org's identity is reported exactly
     * like a missing one.
     */
    public Identity load(Actor actor, String identityId) {
        if (!Ids.looksLikeId(identityId)) {
            throw ApiException.notFound("Identity with ID " + identityId + " not found");
        }
        return store.find(identityId)
                .filter(i -> i.orgId().equals(actor.orgId()))
                .orElseThrow(() -> ApiException.notFound("Identity with ID " + identityId + " not found"));
    }

    /**
     * The identity, for a change that could let the actor act as it or change what it may do
     * (its auth methods, credentials, name, metadata, org role, its deletion): looked up like
     * {@link #load}, then refused (403) unless the actor holds at least everything it holds.
     */
    public Identity loadForChange(Actor actor, String identityId) {
        Identity identity = load(actor, identityId);
        boundary.requireCovers(actor, asActor(identity, roleOf(identity)));
        return identity;
    }

    /** Finds an identity by id without an actor (logins), any org. */
    public java.util.Optional<Identity> find(String identityId) {
        return Ids.looksLikeId(identityId) ? store.find(identityId) : java.util.Optional.empty();
    }

    /** The identity's org role; null when it is not (or no longer) an active member of its org. */
    private String roleOf(Identity i) {
        return orgs.activeRole(i.orgId(), "identity", i.id()).orElse(null);
    }

    /** The identity as its own requests present it to the evaluator (metadata as a map, as on login). */
    private static Actor asActor(Identity i, String orgRole) {
        Map<String, String> metadata = new HashMap<>();
        i.metadata().forEach(e -> metadata.put(String.valueOf(e.get("key")), String.valueOf(e.get("value"))));
        return new Actor(ActorType.IDENTITY, i.id(), i.name(), null, i.orgId(), orgRole, null, null, null, metadata);
    }

    private IdentityView view(Identity i) {
        return view(i, methods.attachedTo(List.of(i.id())).get(i.id()));
    }

    private IdentityView view(Identity i, List<String> attached) {
        String role = orgs.activeRole(i.orgId(), "identity", i.id()).orElse("no-access");
        return new IdentityView(i, role, attached);
    }

    private void checkGrantable(Actor actor, String role) {
        orgRoles.checkGrantable(actor, "role", role);
    }

    private static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw ValidationException.required("name");
        }
        if (name.length() > 128) {
            throw ValidationException.field("name", "String must contain at most 128 character(s)");
        }
        return name.trim();
    }

    private static List<Map<String, Object>> metadata(List<Map<String, Object>> in) {
        if (in == null) {
            return List.of();
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            Object k = in.get(i) == null ? null : in.get(i).get("key");
            Object v = in.get(i) == null ? null : in.get(i).get("value");
            if (!(k instanceof String key) || key.isBlank() || !(v instanceof String value)) {
                throw ValidationException.field("metadata." + i, "Each metadata entry needs a string key and value");
            }
            out.add(Map.of("key", key, "value", value));
        }
        return out;
    }
}
