package dev.keyhaven.server.project;

import dev.keyhaven.server.access.MembershipOnly;
import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgPermission;
import dev.keyhaven.server.access.OrgSubject;
import dev.keyhaven.server.access.PermissionScope;
import dev.keyhaven.server.access.ProjectAction;
import dev.keyhaven.server.access.ProjectPermission;
import dev.keyhaven.server.access.ProjectSubject;
import dev.keyhaven.server.actor.Actor;
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
 * Projects under Infisical's paths: {@code /api/v2/workspace} to create, {@code /api/v1/workspace}
 * and the newer {@code /api/v1/projects} to read, rename and delete. Two routes return the project
 * unwrapped, as the operator and CLI expect.
 */
@RestController
public class ProjectController {
    private final ProjectService projects;

    public ProjectController(ProjectService projects) {
        this.projects = projects;
    }

    @PostMapping({"/api/v2/workspace", "/api/v1/projects"})
    @OrgPermission(subject = OrgSubject.WORKSPACE, actions = OrgAction.CREATE)
    public Map<String, Object> create(Actor actor, @RequestBody ProjectService.NewProject body) {
        return Map.of("project", projects.toJson(projects.create(actor, body), true));
    }

    @GetMapping("/api/v1/workspace")
    @MembershipOnly(PermissionScope.ORG)
    public Map<String, Object> listWorkspaces(Actor actor, @RequestParam(required = false) String type) {
        return Map.of(
                "workspaces",
                projects.list(actor, type).stream()
                        .map(p -> projects.toJson(p, true))
                        .toList());
    }

    @GetMapping("/api/v1/projects")
    @MembershipOnly(PermissionScope.ORG)
    public Map<String, Object> listProjects(Actor actor, @RequestParam(required = false) String type) {
        return Map.of(
                "projects",
                projects.list(actor, type).stream()
                        .map(p -> projects.toJson(p, true))
                        .toList());
    }

    @GetMapping("/api/v1/workspace/{projectId}")
    @MembershipOnly(PermissionScope.PROJECT)
    public Map<String, Object> getWorkspace(Actor actor, @PathVariable String projectId) {
        return Map.of("workspace", projects.toJson(projects.get(actor, projectId, null), true));
    }

    @GetMapping("/api/v1/projects/{projectId}")
    @MembershipOnly(PermissionScope.PROJECT)
    public Map<String, Object> getProject(Actor actor, @PathVariable String projectId) {
        return Map.of("project", projects.toJson(projects.get(actor, projectId, null), true));
    }

    @GetMapping({"/api/v2/workspace/{projectSlug}", "/api/v1/projects/slug/{projectSlug}"})
    @MembershipOnly(PermissionScope.PROJECT)
    public Map<String, Object> getBySlug(Actor actor, @PathVariable String projectSlug) {
        return projects.toJson(projects.get(actor, null, projectSlug), true);
    }

    @PatchMapping("/api/v1/workspace/{projectId}")
    @ProjectPermission(subject = ProjectSubject.SETTINGS, actions = ProjectAction.EDIT)
    public Map<String, Object> updateWorkspace(
            Actor actor, @PathVariable String projectId, @RequestBody ProjectService.ProjectUpdate body) {
        return Map.of("workspace", projects.toJson(projects.update(actor, projectId, body), true));
    }

    @PatchMapping("/api/v1/projects/{projectId}")
    @ProjectPermission(subject = ProjectSubject.SETTINGS, actions = ProjectAction.EDIT)
    public Map<String, Object> updateProject(
            Actor actor, @PathVariable String projectId, @RequestBody ProjectService.ProjectUpdate body) {
        return Map.of("project", projects.toJson(projects.update(actor, projectId, body), true));
    }

    @DeleteMapping("/api/v1/workspace/{projectId}")
    @ProjectPermission(subject = ProjectSubject.WORKSPACE, actions = ProjectAction.DELETE)
    public Map<String, Object> deleteWorkspace(Actor actor, @PathVariable String projectId) {
        return Map.of("workspace", projects.toJson(projects.delete(actor, projectId), false));
    }

    @DeleteMapping("/api/v1/projects/{projectId}")
    @ProjectPermission(subject = ProjectSubject.WORKSPACE, actions = ProjectAction.DELETE)
    public Map<String, Object> deleteProject(Actor actor, @PathVariable String projectId) {
        return Map.of("project", projects.toJson(projects.delete(actor, projectId), false));
    }
}
