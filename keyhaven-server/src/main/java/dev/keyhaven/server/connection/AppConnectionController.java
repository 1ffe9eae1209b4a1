package dev.keyhaven.server.connection;

import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgPermission;
import dev.keyhaven.server.access.OrgSubject;
import dev.keyhaven.server.access.ProjectAction;
import dev.keyhaven.server.access.ProjectPermission;
import dev.keyhaven.server.access.ProjectSubject;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.platform.json.Iso;
import java.util.LinkedHashMap;
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
 * {@code /api/v1/app-connections/:app} (Infisical's routes and fields): list, {@code /available},
 * read by id or name, create, change and delete. A connection lives either in the org or in one
 * project, so every route declares both permissions and the connection's scope decides which runs.
 * Credentials come back without the password.
 */
@RestController
public class AppConnectionController {
    private static final String BASE = "/api/v1/app-connections/{app}";
    private final AppConnectionService connections;

    public AppConnectionController(AppConnectionService connections) {
        this.connections = connections;
    }

    @GetMapping(BASE)
    @OrgPermission(subject = OrgSubject.APP_CONNECTIONS, actions = OrgAction.READ)
    @ProjectPermission(subject = ProjectSubject.APP_CONNECTIONS, actions = ProjectAction.READ_APP_CONNECTIONS)
    public Map<String, Object> list(
            Actor actor, @PathVariable String app, @RequestParam(required = false) String projectId) {
        return Map.of(
                "appConnections",
                connections.list(actor, app, projectId).stream()
                        .map(AppConnectionController::json)
                        .toList());
    }

    @GetMapping(BASE + "/available")
    @OrgPermission(subject = OrgSubject.APP_CONNECTIONS, actions = OrgAction.CONNECT)
    @ProjectPermission(subject = ProjectSubject.APP_CONNECTIONS, actions = ProjectAction.CONNECT_APP_CONNECTIONS)
    public Map<String, Object> available(
            Actor actor, @PathVariable String app, @RequestParam(required = false) String projectId) {
        return Map.of(
                "appConnections",
                connections.available(actor, app, projectId).stream()
                        .map(a -> Map.of("app", a.app(), "name", a.name(), "id", a.id()))
                        .toList());
    }

    @GetMapping(BASE + "/connection-name/{name}")
    @OrgPermission(subject = OrgSubject.APP_CONNECTIONS, actions = OrgAction.READ)
    @ProjectPermission(subject = ProjectSubject.APP_CONNECTIONS, actions = ProjectAction.READ_APP_CONNECTIONS)
    public Map<String, Object> getByName(
            Actor actor,
            @PathVariable String app,
            @PathVariable String name,
            @RequestParam(required = false) String projectId) {
        return Map.of("appConnection", json(connections.getByName(actor, app, name, projectId)));
    }

    @GetMapping(BASE + "/{connectionId}")
    @OrgPermission(subject = OrgSubject.APP_CONNECTIONS, actions = OrgAction.READ)
    @ProjectPermission(subject = ProjectSubject.APP_CONNECTIONS, actions = ProjectAction.READ_APP_CONNECTIONS)
    public Map<String, Object> get(Actor actor, @PathVariable String app, @PathVariable String connectionId) {
        return Map.of("appConnection", json(connections.get(actor, app, connectionId)));
    }

    @PostMapping(BASE)
    @OrgPermission(subject = OrgSubject.APP_CONNECTIONS, actions = OrgAction.CREATE)
    @ProjectPermission(subject = ProjectSubject.APP_CONNECTIONS, actions = ProjectAction.CREATE_APP_CONNECTIONS)
    public Map<String, Object> create(
            Actor actor, @PathVariable String app, @RequestBody AppConnectionService.Input body) {
        return Map.of("appConnection", json(connections.create(actor, app, body)));
    }

    @PatchMapping(BASE + "/{connectionId}")
    @OrgPermission(subject = OrgSubject.APP_CONNECTIONS, actions = OrgAction.EDIT)
    @ProjectPermission(subject = ProjectSubject.APP_CONNECTIONS, actions = ProjectAction.EDIT_APP_CONNECTIONS)
    public Map<String, Object> update(
            Actor actor,
            @PathVariable String app,
            @PathVariable String connectionId,
            @RequestBody AppConnectionService.Input body) {
        return Map.of("appConnection", json(connections.update(actor, app, connectionId, body)));
    }

    @DeleteMapping(BASE + "/{connectionId}")
    @OrgPermission(subject = OrgSubject.APP_CONNECTIONS, actions = OrgAction.DELETE)
    @ProjectPermission(subject = ProjectSubject.APP_CONNECTIONS, actions = ProjectAction.DELETE_APP_CONNECTIONS)
    public Map<String, Object> delete(Actor actor, @PathVariable String app, @PathVariable String connectionId) {
        return Map.of("appConnection", json(connections.delete(actor, app, connectionId)));
    }

    private static Map<String, Object> json(AppConnectionService.Connection c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("name", c.name());
        m.put("description", c.description());
        m.put("version", c.version());
        m.put("orgId", c.orgId());
        m.put("projectId", c.projectId());
        m.put("app", c.app());
        m.put("method", c.method());
        m.put("credentialsHash", c.credentialsHash());
        m.put("gatewayId", null);
        m.put("isPlatformManagedCredentials", false);
        m.put("credentials", c.credentials());
        m.put("sharedProjectIds", c.sharedProjectIds());
        m.put("createdAt", Iso.of(c.createdAt()));
        m.put("updatedAt", Iso.of(c.updatedAt()));
        return m;
    }
}
