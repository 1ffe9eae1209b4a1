package dev.keyhaven.server.project;

import dev.keyhaven.server.access.ProjectAction;
import dev.keyhaven.server.access.ProjectPermission;
import dev.keyhaven.server.access.ProjectSubject;
import dev.keyhaven.server.actor.Actor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Environments under {@code /api/v1/workspace/:id/environments} and {@code /api/v1/projects/:id/environments}. */
@RestController
public class EnvironmentController {

    private final ProjectService projects;
    private final EnvironmentService environments;

    public EnvironmentController(ProjectService projects, EnvironmentService environments) {
        this.projects = projects;
        this.environments = environments;
    }

    record EnvironmentBody(String name, String slug, Integer position) {}

    @PostMapping({"/api/v1/workspace/{projectId}/environments", "/api/v1/projects/{projectId}/environments"})
    @ProjectPermission(subject = ProjectSubject.ENVIRONMENTS, actions = ProjectAction.CREATE)
    public Map<String, Object> create(Actor actor, @PathVariable String projectId, @RequestBody EnvironmentBody body) {
        Project p = projects.resolve(actor, projectId, null);
        Environment env = environments.create(actor, p, body.name(), body.slug(), body.position());
        return reply("Successfully created new environment", p, env);
    }

    @PatchMapping({
        "/api/v1/workspace/{projectId}/environments/{envId}",
        "/api/v1/projects/{projectId}/environments/{envId}"
    })
    @ProjectPermission(subject = ProjectSubject.ENVIRONMENTS, actions = ProjectAction.EDIT)
    public Map<String, Object> update(
            Actor actor,
            @PathVariable String projectId,
            @PathVariable String envId,
            @RequestBody EnvironmentBody body) {
        Project p = projects.resolve(actor, projectId, null);
        Environment env = environments.update(actor, p, envId, body.name(), body.slug(), body.position());
        return reply("Successfully updated environment", p, env);
    }

    @DeleteMapping({
        "/api/v1/workspace/{projectId}/environments/{envId}",
        "/api/v1/projects/{projectId}/environments/{envId}"
    })
    @ProjectPermission(subject = ProjectSubject.ENVIRONMENTS, actions = ProjectAction.DELETE)
    public Map<String, Object> delete(Actor actor, @PathVariable String projectId, @PathVariable String envId) {
        Project p = projects.resolve(actor, projectId, null);
        Environment env = environments.delete(actor, p, envId);
        return reply("Successfully deleted environment", p, env);
    }

    @GetMapping({
        "/api/v1/workspace/{projectId}/environments/{envId}",
        "/api/v1/projects/{projectId}/environments/{envId}"
    })
    @ProjectPermission(subject = ProjectSubject.ENVIRONMENTS, actions = ProjectAction.READ)
    public Map<String, Object> get(Actor actor, @PathVariable String projectId, @PathVariable String envId) {
        Project p = projects.resolve(actor, projectId, null);
        return Map.of("environment", EnvironmentService.toJson(environments.get(actor, p, envId)));
    }

    @GetMapping("/api/v1/projects/{projectId}/environments/slug/{envSlug}")
    @ProjectPermission(subject = ProjectSubject.ENVIRONMENTS, actions = ProjectAction.READ)
    public Map<String, Object> getBySlug(Actor actor, @PathVariable String projectId, @PathVariable String envSlug) {
        Project p = projects.resolve(actor, projectId, null);
        return Map.of("environment", EnvironmentService.toJson(environments.getBySlug(actor, p, envSlug)));
    }

    private Map<String, Object> reply(String message, Project p, Environment env) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("message", message);
        out.put("workspace", projects.toJson(p, true));
        out.put("environment", EnvironmentService.toJson(env));
        return out;
    }
}
