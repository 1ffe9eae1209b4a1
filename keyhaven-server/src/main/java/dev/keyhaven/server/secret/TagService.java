package dev.keyhaven.server.secret;

import dev.keyhaven.server.access.PermissionService;
import dev.keyhaven.server.access.ProjectAction;
import dev.keyhaven.server.access.ProjectSubject;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.audit.AuditEvent;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.audit.AuditLog;
import dev.keyhaven.server.platform.db.Ids;
import dev.keyhaven.server.platform.text.Slugs;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.platform.web.ValidationException;
import dev.keyhaven.server.project.Project;
import dev.keyhaven.server.project.ProjectService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Project tags: create, rename, delete, list, and resolving the {@code tagIds} of secret writes. */
@Service
public class TagService {
    private final TagStore store;
    private final ProjectService projects;
    private final PermissionService permissions;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    public TagService(
            TagStore store,
            ProjectService projects,
            PermissionService permissions,
            AuditLog audit,
            TransactionTemplate tx,
            Clock clock) {
        this.store = store;
        this.projects = projects;
        this.permissions = permissions;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    public Tag create(Actor actor, String projectId, String slug, String name, String color) {
        Project p = projects.resolve(actor, projectId, null);
        permissions.project(actor, p.id()).require(ProjectSubject.TAGS, ProjectAction.CREATE);
        String s = checkSlug(slug);
        if (store.bySlug(p.id(), s).isPresent()) {
            throw ApiException.badRequest("A tag with the slug '" + s + "' already exists");
        }
        long now = clock.millis();
        Tag tag = new Tag(Ids.newId(), p.id(), s, name == null || name.isBlank() ? s : name, color, now, now);
        tx.executeWithoutResult(st -> {
            store.insert(tag);
            audit.record(AuditEvent.of(
                    actor, p.id(), p.name(), AuditEventType.CREATE_TAG, Map.of("tagId", tag.id(), "slug", s)));
        });
        return tag;
    }

    public Tag update(Actor actor, String projectId, String tagId, String slug, String name, String color) {
        Project p = projects.resolve(actor, projectId, null);
        permissions.project(actor, p.id()).require(ProjectSubject.TAGS, ProjectAction.EDIT);
        Tag t = find(p, tagId);
        String s = slug == null ? t.slug() : checkSlug(slug);
        if (!s.equals(t.slug()) && store.bySlug(p.id(), s).isPresent()) {
            throw ApiException.badRequest("A tag with the slug '" + s + "' already exists");
        }
        Tag updated = new Tag(
                t.id(),
                t.projectId(),
                s,
                name == null ? t.name() : name,
                color == null ? t.color() : color,
                t.createdAt(),
                clock.millis());
        tx.executeWithoutResult(st -> {
            store.update(updated);
            audit.record(AuditEvent.of(
                    actor, p.id(), p.name(), AuditEventType.UPDATE_TAG, Map.of("tagId", t.id(), "slug", s)));
        });
        return updated;
    }

    public Tag delete(Actor actor, String projectId, String tagId) {
        Project p = projects.resolve(actor, projectId, null);
        permissions.project(actor, p.id()).require(ProjectSubject.TAGS, ProjectAction.DELETE);
        Tag t = find(p, tagId);
        tx.executeWithoutResult(st -> {
            store.delete(t.id());
            audit.record(AuditEvent.of(
                    actor, p.id(), p.name(), AuditEventType.DELETE_TAG, Map.of("tagId", t.id(), "slug", t.slug())));
        });
        return t;
    }

    public List<Tag> list(Actor actor, String projectId) {
        Project p = projects.resolve(actor, projectId, null);
        permissions.project(actor, p.id()).require(ProjectSubject.TAGS, ProjectAction.READ);
        return store.list(p.id());
    }

    public Tag get(Actor actor, String projectId, String tagId, String slug) {
        Project p = projects.resolve(actor, projectId, null);
        permissions.project(actor, p.id()).require(ProjectSubject.TAGS, ProjectAction.READ);
        if (slug != null) {
            return store.bySlug(p.id(), slug).orElseThrow(() -> ApiException.notFound("Tag '" + slug + "' not found"));
        }
        return find(p, tagId);
    }

    /** The tags named by a secret write's {@code tagIds}; every id must be a tag of the project. */
    List<Tag> resolveIds(String projectId, String field, List<String> tagIds) {
        List<Tag> out = new ArrayList<>();
        if (tagIds == null) {
            return out;
        }
        for (String id : new LinkedHashSet<>(tagIds)) {
            out.add(store.find(projectId, id)
                    .orElseThrow(
                            () -> ValidationException.field(field, "Tag '" + id + "' does not exist in this project")));
        }
        return out;
    }

    private Tag find(Project p, String tagId) {
        return store.find(p.id(), tagId)
                .orElseThrow(() -> ApiException.notFound("Tag with ID " + tagId + " not found"));
    }

    private static String checkSlug(String slug) {
        if (slug == null || slug.isBlank()) {
            throw ValidationException.required("slug");
        }
        if (slug.length() > 64 || !Slugs.isSlug(slug)) {
            throw ValidationException.field("slug", "Slug must be at most 64 lower-case letters, digits and hyphens");
        }
        return slug;
    }
}
