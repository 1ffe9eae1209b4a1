package dev.keyhaven.server.connection;

import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgSubject;
import dev.keyhaven.server.access.PermissionService;
import dev.keyhaven.server.access.PermissionSet;
import dev.keyhaven.server.access.ProjectAction;
import dev.keyhaven.server.access.ProjectSubject;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.audit.AuditEvent;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.audit.AuditLog;
import dev.keyhaven.server.crypto.Hmac;
import dev.keyhaven.server.platform.db.Ids;
import dev.keyhaven.server.platform.log.Redaction;
import dev.keyhaven.server.platform.plugin.Plugins;
import dev.keyhaven.server.platform.text.Slugs;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.platform.web.ValidationException;
import dev.keyhaven.server.project.Project;
import dev.keyhaven.server.project.ProjectService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * App connections: the credentials of a PostgreSQL, MySQL/MariaDB or Redis server, tested by a
 * real connection before they are saved, sealed with the org key and never answered. An org-level
 * connection (org subject {@code app-connections}) is made once by a platform team and shared to
 * chosen projects; a project-level one (project subject {@code app-connections}) belongs to its
 * project. Using a connection from a project (a dynamic secret, a rotation) takes its own
 * permission, {@code connect-app-connections}, checked by {@link #use}.
 */
@Service
public class AppConnectionService {
    public static final String METHOD = "username-and-password";
    static final int MAX_SHARES = 100;
    private static final int MAX_DESCRIPTION = 256;

    /** A connection as callers see it: {@code credentials} holds no password. */
    public record Connection(
            String id,
            String name,
            String description,
            int version,
            String orgId,
            String projectId,
            String app,
            String method,
            String credentialsHash,
            Map<String, Object> credentials,
            List<String> sharedProjectIds,
            long createdAt,
            long updatedAt) {
        @Override
        public String toString() {
            return Redaction.toString(this);
        }
    }

    /** What a caller sends to create or change a connection; {@code credentials} holds the password. */
    public record Input(
            String name,
            String description,
            String method,
            Map<String, Object> credentials,
            String projectId,
            List<String> sharedProjectIds,
            Boolean isPlatformManagedCredentials,
            String gatewayId) {
        @Override
        public String toString() {
            return "Input[name=" + name + ", method=" + method + ", projectId=" + projectId + ", credentials="
                    + (credentials == null ? null : credentials.keySet()) + "]";
        }
    }

    /** A connection name, id and app, as {@code /available} lists them. */
    public record Available(String app, String name, String id) {}

    /**
     * A connection opened for use by another feature in a project: its credentials, in memory
     * only, and the dialer every socket to it must go through.
     */
    public record Usable(String id, String orgId, String app, ServerCredentials credentials, Dialer dialer) {
        @Override
        public String toString() {
            return "Usable[id=" + id + ", app=" + app + "]";
        }
    }

    private final AppConnectionStore store;
    private final AppConnectionSeal seal;
    private final Plugins<AppConnectionKind> kinds;
    private final Dialer dialer;
    private final ProjectService projects;
    private final PermissionService permissions;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    AppConnectionService(
            AppConnectionStore store,
            AppConnectionSeal seal,
            List<AppConnectionKind> kinds,
            Dialer dialer,
            ProjectService projects,
            PermissionService permissions,
            AuditLog audit,
            TransactionTemplate tx,
            Clock clock) {
        this.store = store;
        this.seal = seal;
        this.kinds = Plugins.of("app connection kind", kinds, AppConnectionKind::app);
        this.dialer = dialer;
        this.projects = projects;
        this.permissions = permissions;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    public Connection create(Actor actor, String app, Input input) {
        AppConnectionKind kind = kind(app);
        String projectId = blankToNull(input.projectId());
        Project project = null;
        if (projectId != null) {
            project = projects.resolve(actor, projectId, null);
            permissions
                    .project(actor, project.id())
                    .requireSome(ProjectSubject.APP_CONNECTIONS, ProjectAction.CREATE_APP_CONNECTIONS, Map.of());
        } else {
            permissions.org(actor).require(OrgSubject.APP_CONNECTIONS, OrgAction.CREATE);
        }
        String name = name(input.name());
        String description = description(input.description());
        method(input.method());
        unsupported(input);
        List<String> shares = shares(actor, input.sharedProjectIds(), project != null);
        ServerCredentials credentials = ServerFields.parse(input.credentials(), kind.needsDatabase());
        verify(kind, credentials);
        String id = Ids.newId();
        long now = clock.millis();
        AppConnectionStore.Row row = new AppConnectionStore.Row(
                id,
                actor.orgId(),
                project == null ? null : project.id(),
                kind.app(),
                METHOD,
                name,
                description,
                1,
                seal.seal(actor.orgId(), id, credentials),
                now,
                now);
        tx.executeWithoutResult(s -> {
            if (store.byName(actor.orgId(), row.scope(), name).isPresent()) {
                throw ApiException.conflict("An app connection named \"" + name + "\" already exists");
            }
            store.insert(row);
            store.replaceShares(id, shares, now);
            record(actor, AuditEventType.CREATE_APP_CONNECTION, row, shares, true);
        });
        return view(row, credentials, shares);
    }

    public List<Connection> list(Actor actor, String app, String projectId) {
        AppConnectionKind kind = kind(app);
        String pid = blankToNull(projectId);
        if (pid == null) {
            permissions.org(actor).require(OrgSubject.APP_CONNECTIONS, OrgAction.READ);
            return store.orgLevel(actor.orgId(), kind.app()).stream()
                    .map(this::view)
                    .toList();
        }
        Project project = projects.resolve(actor, pid, null);
        PermissionSet set = permissions.project(actor, project.id());
        set.requireSome(ProjectSubject.APP_CONNECTIONS, ProjectAction.READ_APP_CONNECTIONS, Map.of());
        return store.usableIn(project.id(), kind.app()).stream()
                .filter(r -> set.can(ProjectSubject.APP_CONNECTIONS, ProjectAction.READ_APP_CONNECTIONS, resource(r)))
                .map(this::view)
                .toList();
    }

    /** The connections of an app the caller may use: in a project, or at org level without one. */
    public List<Available> available(Actor actor, String app, String projectId) {
        AppConnectionKind kind = kind(app);
        String pid = blankToNull(projectId);
        if (pid == null) {
            PermissionSet set = permissions.org(actor);
            set.require(OrgSubject.APP_CONNECTIONS, OrgAction.CONNECT);
            return store.orgLevel(actor.orgId(), kind.app()).stream()
                    .map(r -> new Available(r.app(), r.name(), r.id()))
                    .toList();
        }
        Project project = projects.resolve(actor, pid, null);
        PermissionSet set = permissions.project(actor, project.id());
        set.requireSome(ProjectSubject.APP_CONNECTIONS, ProjectAction.CONNECT_APP_CONNECTIONS, Map.of());
        return store.usableIn(project.id(), kind.app()).stream()
                .filter(r ->
                        set.can(ProjectSubject.APP_CONNECTIONS, ProjectAction.CONNECT_APP_CONNECTIONS, resource(r)))
                .map(r -> new Available(r.app(), r.name(), r.id()))
                .toList();
    }

    public Connection get(Actor actor, String app, String connectionId) {
        AppConnectionStore.Row row = find(actor, app, connectionId);
        require(actor, row, ProjectAction.READ_APP_CONNECTIONS, OrgAction.READ);
        return view(row);
    }

    public Connection getByName(Actor actor, String app, String name, String projectId) {
        AppConnectionKind kind = kind(app);
        String pid = blankToNull(projectId);
        String scope = pid == null
                ? AppConnectionStore.ORG_SCOPE
                : projects.resolve(actor, pid, null).id();
        AppConnectionStore.Row row = store.byName(actor.orgId(), scope, name)
                .filter(r -> r.app().equals(kind.app()))
                .orElseThrow(() -> ApiException.notFound("Could not find app connection with name " + name));
        require(actor, row, ProjectAction.READ_APP_CONNECTIONS, OrgAction.READ);
        return view(row);
    }

    /**
     * Changes the name, description, credentials (given whole, password included, and tested again)
     * or, for an org-level connection, the projects it is shared to. The method and scope stay.
     */
    public Connection update(Actor actor, String app, String connectionId, Input input) {
        AppConnectionStore.Row current = find(actor, app, connectionId);
        require(actor, current, ProjectAction.EDIT_APP_CONNECTIONS, OrgAction.EDIT);
        AppConnectionKind kind = kind(app);
        if (input.method() != null && !input.method().equals(current.method())) {
            throw ValidationException.field("method", "The method of a connection cannot be changed");
        }
        unsupported(input);
        String name = input.name() == null ? current.name() : name(input.name());
        String description = input.description() == null ? current.description() : description(input.description());
        List<String> shares = input.sharedProjectIds() == null
                ? store.sharedTo(current.id())
                : shares(actor, input.sharedProjectIds(), current.projectId() != null);
        boolean newCredentials = input.credentials() != null;
        ServerCredentials credentials;
        String sealed;
        if (newCredentials) {
            credentials = ServerFields.parse(input.credentials(), kind.needsDatabase());
            verify(kind, credentials);
            sealed = seal.seal(current.orgId(), current.id(), credentials);
        } else {
            credentials = seal.open(current);
            sealed = current.sealedCredentials();
        }
        long now = Math.max(clock.millis(), current.updatedAt() + 1);
        AppConnectionStore.Row row = new AppConnectionStore.Row(
                current.id(),
                current.orgId(),
                current.projectId(),
                current.app(),
                current.method(),
                name,
                description,
                current.version() + 1,
                sealed,
                current.createdAt(),
                now);
        tx.executeWithoutResult(s -> {
            if (!name.equals(current.name())
                    && store.byName(current.orgId(), current.scope(), name).isPresent()) {
                throw ApiException.conflict("An app connection named \"" + name + "\" already exists");
            }
            store.update(row);
            if (input.sharedProjectIds() != null) {
                store.replaceShares(row.id(), shares, now);
            }
            record(actor, AuditEventType.UPDATE_APP_CONNECTION, row, shares, newCredentials);
        });
        return view(row, credentials, shares);
    }

    public Connection delete(Actor actor, String app, String connectionId) {
        AppConnectionStore.Row current = find(actor, app, connectionId);
        require(actor, current, ProjectAction.DELETE_APP_CONNECTIONS, OrgAction.DELETE);
        Connection view = view(current);
        tx.executeWithoutResult(s -> {
            store.delete(current.id());
            record(actor, AuditEventType.DELETE_APP_CONNECTION, current, view.sharedProjectIds(), false);
        });
        return view;
    }

    /**
     * Opens a connection for use in a project by another feature: the connection must belong to
     * the project or be an org-level one shared to it, and the caller must hold
     * {@code connect-app-connections} on it there. Anything else looks like a missing connection
     * (404) or is refused (403).
     */
    public Usable use(Actor actor, String projectId, String connectionId) {
        Optional<AppConnectionStore.Row> found =
                Ids.looksLikeId(connectionId) ? store.byId(connectionId) : Optional.empty();
        AppConnectionStore.Row row = found.filter(r -> r.orgId().equals(actor.orgId()))
                .filter(r ->
                        projectId.equals(r.projectId()) || r.projectId() == null && store.isSharedTo(r.id(), projectId))
                .orElseThrow(() -> ApiException.notFound("Could not find app connection with ID " + connectionId));
        permissions
                .project(actor, projectId)
                .require(ProjectSubject.APP_CONNECTIONS, ProjectAction.CONNECT_APP_CONNECTIONS, resource(row));
        return new Usable(row.id(), row.orgId(), row.app(), seal.open(row), dialer);
    }

    /**
     * The connection a stored configuration of {@code projectId} names, for work that runs with no
     * caller (revoking an expired lease): the permission was checked when the configuration was
     * saved; the connection must still belong to the project or be shared to it.
     */
    public Optional<Usable> forProject(String orgId, String projectId, String connectionId) {
        return store.byId(connectionId)
                .filter(r -> r.orgId().equals(orgId))
                .filter(r ->
                        projectId.equals(r.projectId()) || r.projectId() == null && store.isSharedTo(r.id(), projectId))
                .map(r -> new Usable(r.id(), r.orgId(), r.app(), seal.open(r), dialer));
    }

    private void verify(AppConnectionKind kind, ServerCredentials credentials) {
        try {
            kind.verify(credentials, dialer);
        } catch (ConnectionException e) {
            throw ApiException.badRequest(
                    "Unable to validate connection: " + kind.label() + " connection failed: " + e.getMessage());
        }
    }

    private void require(Actor actor, AppConnectionStore.Row row, ProjectAction inProject, OrgAction inOrg) {
        if (row.projectId() != null) {
            permissions
                    .project(actor, row.projectId())
                    .require(ProjectSubject.APP_CONNECTIONS, inProject, resource(row));
        } else {
            permissions.org(actor).require(OrgSubject.APP_CONNECTIONS, inOrg, resource(row));
        }
    }

    private static Map<String, Object> resource(AppConnectionStore.Row row) {
        return Map.of("connectionId", row.id());
    }

    /** A connection of the actor's org and of this app; absent, foreign and other apps look the same (404). */
    private AppConnectionStore.Row find(Actor actor, String app, String connectionId) {
        AppConnectionKind kind = kind(app);
        return (Ids.looksLikeId(connectionId) ? store.byId(connectionId) : Optional.<AppConnectionStore.Row>empty())
                .filter(r -> r.orgId().equals(actor.orgId()) && r.app().equals(kind.app()))
                .orElseThrow(() -> ApiException.notFound("Could not find app connection with ID " + connectionId));
    }

    private AppConnectionKind kind(String app) {
        return kinds.find(app)
                .orElseThrow(() -> ApiException.notFound("Unknown app " + app + "; expected one of " + kinds.names()));
    }

    /** Projects an org-level connection is shared to: projects of the org, at most {@link #MAX_SHARES}. */
    private List<String> shares(Actor actor, List<String> requested, boolean projectLevel) {
        if (requested == null || requested.isEmpty()) {
            return List.of();
        }
        if (projectLevel) {
            throw ValidationException.field(
                    "sharedProjectIds", "Only an org-level connection (without projectId) is shared to projects");
        }
        if (requested.size() > MAX_SHARES) {
            throw ValidationException.field("sharedProjectIds", "At most " + MAX_SHARES + " projects");
        }
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        for (String p : requested) {
            if (p == null || p.isBlank()) {
                throw ValidationException.field("sharedProjectIds", "Must be project ids");
            }
            ids.add(projects.resolve(actor, p.strip(), null).id());
        }
        return new ArrayList<>(ids);
    }

    private void record(
            Actor actor,
            AuditEventType type,
            AppConnectionStore.Row row,
            List<String> shares,
            boolean credentialsChanged) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("connectionId", row.id());
        meta.put("name", row.name());
        meta.put("app", row.app());
        meta.put("method", row.method());
        if (row.projectId() != null) {
            meta.put("projectId", row.projectId());
        } else {
            meta.put("sharedProjectIds", shares);
        }
        if (type == AuditEventType.UPDATE_APP_CONNECTION) {
            meta.put("credentialsChanged", credentialsChanged);
        }
        audit.record(AuditEvent.of(actor, row.projectId(), null, type, meta));
    }

    private Connection view(AppConnectionStore.Row row) {
        return view(row, seal.open(row), row.projectId() == null ? store.sharedTo(row.id()) : List.of());
    }

    private static Connection view(AppConnectionStore.Row row, ServerCredentials credentials, List<String> shares) {
        return new Connection(
                row.id(),
                row.name(),
                row.description(),
                row.version(),
                row.orgId(),
                row.projectId(),
                row.app(),
                row.method(),
                Hmac.sha256Hex(row.id(), row.sealedCredentials()),
                credentials.visible(),
                List.copyOf(shares),
                row.createdAt(),
                row.updatedAt());
    }

    private static void method(String method) {
        if (method == null) {
            throw ValidationException.required("method");
        }
        if (!METHOD.equals(method)) {
            throw ValidationException.field("method", "Expected " + METHOD);
        }
    }

    private static void unsupported(Input input) {
        if (input.gatewayId() != null) {
            throw ValidationException.field("gatewayId", "Gateways are not supported yet; leave gatewayId out");
        }
        if (Boolean.TRUE.equals(input.isPlatformManagedCredentials())) {
            throw ValidationException.field(
                    "isPlatformManagedCredentials", "Platform-managed credentials are not supported yet");
        }
    }

    private static String name(String raw) {
        if (raw == null) {
            throw ValidationException.required("name");
        }
        String n = raw.strip();
        if (n.isEmpty() || n.length() > 64 || !Slugs.isSlug(n)) {
            throw ValidationException.field("name", "Must be a slug (lowercase letters, digits, '-'), at most 64");
        }
        return n;
    }

    private static String description(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        if (raw.length() > MAX_DESCRIPTION) {
            throw ValidationException.field("description", "Must be at most " + MAX_DESCRIPTION + " characters");
        }
        return raw.strip();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
