package dev.keyhaven.server.dynamic;

import dev.keyhaven.server.access.PermissionService;
import dev.keyhaven.server.access.ProjectAction;
import dev.keyhaven.server.access.ProjectSubject;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.audit.AuditEvent;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.audit.AuditLog;
import dev.keyhaven.server.connection.AppConnectionService;
import dev.keyhaven.server.platform.db.Ids;
import dev.keyhaven.server.platform.text.Slugs;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.platform.web.ValidationException;
import dev.keyhaven.server.project.Project;
import dev.keyhaven.server.project.ProjectService;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Dynamic-secret configurations ({@code /api/v1/dynamic-secrets}): a provider, its inputs (root
 * credentials and statements, or an app connection the project may use), a default and a max TTL,
 * at an environment and path. Managing one is the project permission {@code dynamic-secrets}
 * {@code create-/edit-/delete-/read-root-credential}: whoever holds it writes the statements the
 * root user runs, so it is as strong as the database rights of that user. The inputs are tested
 * against the real system before they are saved and never answered with a password.
 */
@Service
public class DynamicSecretService {
    /** How many leases a forced delete revokes in the request; more must be revoked first. */
    static final int MAX_LEASES_ON_DELETE = 100;

    /** A configuration as callers see it. */
    public record DynamicSecret(
            String id,
            String name,
            String type,
            int version,
            long defaultTtl,
            Long maxTtl,
            String environment,
            String path,
            Map<String, Object> inputs,
            long createdAt,
            long updatedAt) {}

    /** Where a request points: the project by slug, the environment, the path. */
    public record Where(String projectSlug, String environmentSlug, String path) {}

    /** The create body (Infisical's fields). */
    public record Create(
            String projectSlug,
            String environmentSlug,
            String path,
            String name,
            Provider provider,
            String defaultTTL,
            String maxTTL,
            List<Object> metadata,
            String usernameTemplate) {
        @Override
        public String toString() {
            return "Create[name=" + name + ", type=" + (provider == null ? null : provider.type()) + "]";
        }
    }

    public record Provider(String type, Map<String, Object> inputs) {
        @Override
        public String toString() {
            return "Provider[type=" + type + "]";
        }
    }

    /** The update body's {@code data}. */
    public record Change(
            Map<String, Object> inputs, String defaultTTL, String maxTTL, String newName, List<Object> metadata) {
        @Override
        public String toString() {
            return "Change[newName=" + newName + "]";
        }
    }

    private final DynamicSecretStore store;
    private final LeaseStore leases;
    private final DynamicSecretInputs inputs;
    private final DynamicSecretProviders providers;
    private final AppConnectionService connections;
    private final ProjectService projects;
    private final PermissionService permissions;
    private final Revocations revocations;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    DynamicSecretService(
            DynamicSecretStore store,
            LeaseStore leases,
            DynamicSecretInputs inputs,
            DynamicSecretProviders providers,
            AppConnectionService connections,
            ProjectService projects,
            PermissionService permissions,
            Revocations revocations,
            AuditLog audit,
            TransactionTemplate tx,
            Clock clock) {
        this.store = store;
        this.leases = leases;
        this.inputs = inputs;
        this.providers = providers;
        this.connections = connections;
        this.projects = projects;
        this.permissions = permissions;
        this.revocations = revocations;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    public DynamicSecret create(Actor actor, Create body) {
        Location at = locate(actor, new Where(body.projectSlug(), body.environmentSlug(), body.path()));
        permissions
                .project(actor, at.projectId())
                .require(ProjectSubject.DYNAMIC_SECRETS, ProjectAction.CREATE_ROOT_CREDENTIAL, at.resource());
        String name = name(body.name());
        if (body.provider() == null || body.provider().type() == null) {
            throw ValidationException.required("provider.type");
        }
        DynamicSecretProvider provider = providers
                .find(body.provider().type())
                .orElseThrow(() -> ValidationException.field(
                        "provider.type",
                        "Expected one of " + providers.types().stream().sorted().toList()));
        unsupported(body.metadata(), body.usernameTemplate());
        Duration defaultTtl = Ttl.parse("defaultTTL", body.defaultTTL());
        Duration maxTtl = body.maxTTL() == null || body.maxTTL().isBlank() ? null : Ttl.parse("maxTTL", body.maxTTL());
        if (maxTtl != null && defaultTtl.compareTo(maxTtl) > 0) {
            throw ApiException.badRequest("defaultTTL cannot be greater than maxTTL");
        }
        Map<String, Object> raw =
                body.provider().inputs() == null ? Map.of() : body.provider().inputs();
        String connectionId = connectionOf(raw);
        Map<String, Object> given = new HashMap<>(raw);
        given.remove("connectionId");
        if (connectionId != null) {
            AppConnectionService.Usable usable = connections.use(actor, at.projectId(), connectionId);
            String expected = appFor(provider.type(), given.get("client"));
            if (!usable.app().equals(expected)) {
                throw ApiException.badRequest(
                        "The app connection is a " + usable.app() + " connection; this provider needs " + expected);
            }
            given.keySet().removeAll(DynamicSecretInputs.CREDENTIAL_FIELDS);
            given.putAll(DynamicSecretInputs.withPassword(usable.credentials()));
        }
        Map<String, Object> valid = check(provider, given);
        String id = Ids.newId();
        long now = clock.millis();
        DynamicSecretStore.Row row = new DynamicSecretStore.Row(
                id,
                actor.orgId(),
                at.projectId(),
                at.environment(),
                at.path(),
                name,
                provider.type(),
                1,
                defaultTtl.toSeconds(),
                maxTtl == null ? null : maxTtl.toSeconds(),
                connectionId,
                inputs.seal(at.projectId(), id, valid, connectionId != null),
                now,
                now);
        tx.executeWithoutResult(s -> {
            if (store.byName(at.projectId(), at.environment(), at.path(), name).isPresent()) {
                throw ApiException.badRequest("Dynamic secret with name " + name + " already exists");
            }
            store.insert(row);
            record(actor, at, AuditEventType.CREATE_DYNAMIC_SECRET, row, Map.of());
        });
        return view(row, valid);
    }

    public DynamicSecret get(Actor actor, String name, Where where) {
        Location at = locate(actor, where);
        permissions
                .project(actor, at.projectId())
                .require(ProjectSubject.DYNAMIC_SECRETS, ProjectAction.READ_ROOT_CREDENTIAL, at.resource());
        DynamicSecretStore.Row row = find(at, name);
        return view(row, inputs.stored(row));
    }

    public List<DynamicSecret> list(Actor actor, Where where) {
        Location at = locate(actor, where);
        permissions
                .project(actor, at.projectId())
                .require(ProjectSubject.DYNAMIC_SECRETS, ProjectAction.READ_ROOT_CREDENTIAL, at.resource());
        return store.list(at.projectId(), at.environment(), at.path()).stream()
                .map(r -> view(r, inputs.stored(r)))
                .toList();
    }

    /** Changes the TTLs, the name or the inputs (tested again); the type and connection stay. */
    public DynamicSecret update(Actor actor, String name, Where where, Change change) {
        Location at = locate(actor, where);
        permissions
                .project(actor, at.projectId())
                .require(ProjectSubject.DYNAMIC_SECRETS, ProjectAction.EDIT_ROOT_CREDENTIAL, at.resource());
        DynamicSecretStore.Row current = find(at, name);
        if (change == null) {
            throw ValidationException.required("data");
        }
        unsupported(change.metadata(), null);
        String newName = change.newName() == null ? current.name() : name(change.newName());
        long defaultTtl = change.defaultTTL() == null
                ? current.defaultTtl()
                : Ttl.parse("defaultTTL", change.defaultTTL()).toSeconds();
        Long maxTtl = change.maxTTL() == null
                ? current.maxTtl()
                : Ttl.parse("maxTTL", change.maxTTL()).toSeconds();
        if (maxTtl != null && defaultTtl > maxTtl) {
            throw ApiException.badRequest("defaultTTL cannot be greater than maxTTL");
        }
        Map<String, Object> valid;
        try {
            valid = inputs.open(current);
        } catch (DynamicSecretException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        String sealed = current.sealedInputs();
        if (change.inputs() != null) {
            Map<String, Object> given = new HashMap<>(valid);
            Map<String, Object> changed = new HashMap<>(change.inputs());
            changed.remove("connectionId");
            if (current.connectionId() != null) {
                changed.keySet().removeAll(DynamicSecretInputs.CREDENTIAL_FIELDS);
            } else if (changed.keySet().stream().anyMatch(DynamicSecretInputs.CREDENTIAL_FIELDS::contains)
                    && !changed.containsKey("password")) {
                throw ValidationException.field(
                        "data.inputs.password", "Changing the target's credentials takes the password too");
            }
            given.putAll(changed);
            valid = check(provider(current), given);
            sealed = inputs.seal(current.projectId(), current.id(), valid, current.connectionId() != null);
        }
        DynamicSecretStore.Row row = new DynamicSecretStore.Row(
                current.id(),
                current.orgId(),
                current.projectId(),
                current.environment(),
                current.path(),
                newName,
                current.type(),
                current.version() + 1,
                defaultTtl,
                maxTtl,
                current.connectionId(),
                sealed,
                current.createdAt(),
                Math.max(clock.millis(), current.updatedAt() + 1));
        tx.executeWithoutResult(s -> {
            if (!newName.equals(current.name())
                    && store.byName(at.projectId(), at.environment(), at.path(), newName)
                            .isPresent()) {
                throw ApiException.badRequest("Dynamic secret with name " + newName + " already exists");
            }
            store.update(row);
            record(actor, at, AuditEventType.UPDATE_DYNAMIC_SECRET, row, Map.of());
        });
        return view(row, valid);
    }

    /**
     * Deletes a configuration. Its leases are revoked first; one that cannot be revoked stops the
     * delete (400) unless {@code isForced}, which deletes the lease anyway.
     */
    public DynamicSecret delete(Actor actor, String name, Where where, boolean forced) {
        Location at = locate(actor, where);
        permissions
                .project(actor, at.projectId())
                .require(ProjectSubject.DYNAMIC_SECRETS, ProjectAction.DELETE_ROOT_CREDENTIAL, at.resource());
        DynamicSecretStore.Row row = find(at, name);
        if (leases.countOfSecret(row.id()) > MAX_LEASES_ON_DELETE) {
            throw ApiException.badRequest("The dynamic secret has more than " + MAX_LEASES_ON_DELETE
                    + " leases; revoke them (or let them expire) before deleting it");
        }
        for (LeaseStore.Row lease : leases.ofSecret(row.id(), MAX_LEASES_ON_DELETE)) {
            revocations.onRequest(actor, at, row, lease, forced);
        }
        DynamicSecret view = view(row, inputs.stored(row));
        tx.executeWithoutResult(s -> {
            store.delete(row.id());
            record(actor, at, AuditEventType.DELETE_DYNAMIC_SECRET, row, Map.of("isForced", forced));
        });
        return view;
    }

    /** The project, environment and path a request names, in the caller's org. */
    Location locate(Actor actor, Where where) {
        if (where.projectSlug() == null || where.projectSlug().isBlank()) {
            throw ValidationException.required("projectSlug");
        }
        Project project = projects.resolve(actor, null, where.projectSlug().strip());
        String env = projects.environment(project, where.environmentSlug()).slug();
        return new Location(project.id(), project.name(), env, Location.path(where.path()));
    }

    DynamicSecretStore.Row find(Location at, String name) {
        return store.byName(at.projectId(), at.environment(), at.path(), name)
                .orElseThrow(() -> ApiException.notFound("Dynamic secret with name '" + name + "' not found"));
    }

    DynamicSecretProvider provider(DynamicSecretStore.Row row) {
        return providers
                .find(row.type())
                .orElseThrow(() -> new IllegalStateException("no dynamic-secret provider " + row.type()));
    }

    private static Map<String, Object> check(DynamicSecretProvider provider, Map<String, Object> given) {
        try {
            Map<String, Object> valid = provider.validate(given);
            provider.testConnection(valid);
            return valid;
        } catch (DynamicSecretException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static String connectionOf(Map<String, Object> raw) {
        Object c = raw.get("connectionId");
        if (c == null) {
            return null;
        }
        if (!(c instanceof String s) || !Ids.looksLikeId(s)) {
            throw ValidationException.field("provider.inputs.connectionId", "Must be an app connection id");
        }
        return s;
    }

    /** The app connection kind a provider can use. */
    private static String appFor(String type, Object client) {
        if (type.equals("sql-database")) {
            return "mysql2".equals(client) ? "mysql" : "postgres";
        }
        return type;
    }

    private static void unsupported(List<Object> metadata, String usernameTemplate) {
        if (metadata != null && !metadata.isEmpty()) {
            throw ValidationException.field("metadata", "Metadata on dynamic secrets is not supported yet");
        }
        if (usernameTemplate != null && !usernameTemplate.isBlank()) {
            throw ValidationException.field("usernameTemplate", "Username templates are not supported yet");
        }
    }

    private static String name(String raw) {
        if (raw == null) {
            throw ValidationException.required("name");
        }
        String n = raw.strip();
        if (n.isEmpty() || n.length() > 64 || !Slugs.isSlug(n) || n.equals("leases")) {
            throw ValidationException.field("name", "Must be a slug of at most 64 characters (and not \"leases\")");
        }
        return n;
    }

    private void record(
            Actor actor, Location at, AuditEventType type, DynamicSecretStore.Row row, Map<String, Object> extra) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("dynamicSecretId", row.id());
        meta.put("dynamicSecretName", row.name());
        meta.put("dynamicSecretType", row.type());
        meta.put("environment", at.environment());
        meta.put("secretPath", at.path());
        if (row.connectionId() != null) {
            meta.put("connectionId", row.connectionId());
        }
        meta.putAll(extra);
        audit.record(AuditEvent.of(actor, at.projectId(), at.projectName(), type, meta));
    }

    static DynamicSecret view(DynamicSecretStore.Row row, Map<String, Object> inputs) {
        return new DynamicSecret(
                row.id(),
                row.name(),
                row.type(),
                row.version(),
                row.defaultTtl(),
                row.maxTtl(),
                row.environment(),
                row.path(),
                DynamicSecretInputs.visible(inputs, row.connectionId()),
                row.createdAt(),
                row.updatedAt());
    }
}
