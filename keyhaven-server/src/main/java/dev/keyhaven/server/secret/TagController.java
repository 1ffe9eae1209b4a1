package dev.keyhaven.server.secret;

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
import org.springframework.web.bind.annotation.RestController;

/** Tags at {@code /api/v1/workspace/:id/tags} (workspaceTag wrappers) and {@code /api/v1/projects/:id/tags}. */
@RestController
public class TagController {
    private final TagService tags;

    public TagController(TagService tags) {
        this.tags = tags;
    }

    record TagBody(String slug, String name, String color) {}

    @GetMapping("/api/v1/workspace/{projectId}/tags")
    @ProjectPermission(subject = ProjectSubject.TAGS, actions = ProjectAction.READ)
    public Map<String, Object> listWorkspaceTags(Actor actor, @PathVariable String projectId) {
        return Map.of(
                "workspaceTags",
                tags.list(actor, projectId).stream().map(Tag::toJson).toList());
    }

    @PostMapping("/api/v1/workspace/{projectId}/tags")
    @ProjectPermission(subject = ProjectSubject.TAGS, actions = ProjectAction.CREATE)
    public Map<String, Object> createWorkspaceTag(
            Actor actor, @PathVariable String projectId, @RequestBody TagBody body) {
        return Map.of(
                "workspaceTag",
                tags.create(actor, projectId, body.slug(), body.name(), body.color())
                        .toJson());
    }

    @DeleteMapping("/api/v1/workspace/{projectId}/tags/{tagId}")
    @ProjectPermission(subject = ProjectSubject.TAGS, actions = ProjectAction.DELETE)
    public Map<String, Object> deleteWorkspaceTag(
            Actor actor, @PathVariable String projectId, @PathVariable String tagId) {
        return Map.of("workspaceTag", tags.delete(actor, projectId, tagId).toJson());
    }

    @GetMapping("/api/v1/projects/{projectId}/tags")
    @ProjectPermission(subject = ProjectSubject.TAGS, actions = ProjectAction.READ)
    public Map<String, Object> list(Actor actor, @PathVariable String projectId) {
        return Map.of(
                "tags", tags.list(actor, projectId).stream().map(Tag::toJson).toList());
    }

    @PostMapping("/api/v1/projects/{projectId}/tags")
    @ProjectPermission(subject = ProjectSubject.TAGS, actions = ProjectAction.CREATE)
    public Map<String, Object> create(Actor actor, @PathVariable String projectId, @RequestBody TagBody body) {
        return Map.of(
                "tag",
                tags.create(actor, projectId, body.slug(), body.name(), body.color())
                        .toJson());
    }

    @GetMapping("/api/v1/projects/{projectId}/tags/{tagId}")
    @ProjectPermission(subject = ProjectSubject.TAGS, actions = ProjectAction.READ)
    public Map<String, Object> get(Actor actor, @PathVariable String projectId, @PathVariable String tagId) {
        return Map.of("tag", tags.get(actor, projectId, tagId, null).toJson());
    }

    @GetMapping("/api/v1/projects/{projectId}/tags/slug/{slug}")
    @ProjectPermission(subject = ProjectSubject.TAGS, actions = ProjectAction.READ)
    public Map<String, Object> getBySlug(Actor actor, @PathVariable String projectId, @PathVariable String slug) {
        return Map.of("tag", tags.get(actor, projectId, null, slug).toJson());
    }

    @PatchMapping("/api/v1/projects/{projectId}/tags/{tagId}")
    @ProjectPermission(subject = ProjectSubject.TAGS, actions = ProjectAction.EDIT)
    public Map<String, Object> update(
            Actor actor, @PathVariable String projectId, @PathVariable String tagId, @RequestBody TagBody body) {
        return Map.of(
                "tag",
                tags.update(actor, projectId, tagId, body.slug(), body.name(), body.color())
                        .toJson());
    }

    @DeleteMapping("/api/v1/projects/{projectId}/tags/{tagId}")
    @ProjectPermission(subject = ProjectSubject.TAGS, actions = ProjectAction.DELETE)
    public Map<String, Object> delete(Actor actor, @PathVariable String projectId, @PathVariable String tagId) {
        return Map.of("tag", tags.delete(actor, projectId, tagId).toJson());
    }
}
