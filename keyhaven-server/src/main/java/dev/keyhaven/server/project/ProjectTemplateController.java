package dev.keyhaven.server.project;

import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgPermission;
import dev.keyhaven.server.access.OrgSubject;
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
 * {@code /api/v1/project-templates}: Infisical's template routes, plus two of Keyhaven's own
 * beside them: {@code GET /:templateId/drift} (how the projects made from a template now differ
 * from it) and {@code POST /:templateId/apply} (bring chosen projects up to its current version).
 */
@RestController
public class ProjectTemplateController {
    private static final String BASE = "/api/v1/project-templates";
    private final ProjectTemplateService templates;
    private final ProjectTemplateSync sync;

    public ProjectTemplateController(ProjectTemplateService templates, ProjectTemplateSync sync) {
        this.templates = templates;
        this.sync = sync;
    }

    @PostMapping(BASE)
    @OrgPermission(subject = OrgSubject.PROJECT_TEMPLATES, actions = OrgAction.CREATE)
    public Map<String, Object> create(Actor actor, @RequestBody ProjectTemplateInput.Body body) {
        return Map.of("projectTemplate", templates.toJson(templates.create(actor, body)));
    }

    @GetMapping(BASE)
    @OrgPermission(subject = OrgSubject.PROJECT_TEMPLATES, actions = OrgAction.READ)
    public Map<String, Object> list(Actor actor, @RequestParam(required = false) String type) {
        return Map.of(
                "projectTemplates",
                templates.list(actor, type).stream().map(templates::toJson).toList());
    }

    @GetMapping(BASE + "/{templateId}")
    @OrgPermission(subject = OrgSubject.PROJECT_TEMPLATES, actions = OrgAction.READ)
    public Map<String, Object> get(Actor actor, @PathVariable String templateId) {
        return Map.of("projectTemplate", templates.toJson(templates.get(actor, templateId)));
    }

    @PatchMapping(BASE + "/{templateId}")
    @OrgPermission(subject = OrgSubject.PROJECT_TEMPLATES, actions = OrgAction.EDIT)
    public Map<String, Object> update(
            Actor actor, @PathVariable String templateId, @RequestBody ProjectTemplateInput.Body body) {
        return Map.of("projectTemplate", templates.toJson(templates.update(actor, templateId, body)));
    }

    @DeleteMapping(BASE + "/{templateId}")
    @OrgPermission(subject = OrgSubject.PROJECT_TEMPLATES, actions = OrgAction.DELETE)
    public Map<String, Object> delete(Actor actor, @PathVariable String templateId) {
        return Map.of("projectTemplate", templates.toJson(templates.delete(actor, templateId)));
    }

    @GetMapping(BASE + "/{templateId}/drift")
    @OrgPermission(subject = OrgSubject.PROJECT_TEMPLATES, actions = OrgAction.READ)
    public Map<String, Object> drift(Actor actor, @PathVariable String templateId) {
        return sync.drift(actor, templateId);
    }

    /** Also needs role and environment rights in every chosen project (see {@link ProjectTemplateSync}). */
    @PostMapping(BASE + "/{templateId}/apply")
    @OrgPermission(subject = OrgSubject.PROJECT_TEMPLATES, actions = OrgAction.EDIT)
    public Map<String, Object> apply(
            Actor actor, @PathVariable String templateId, @RequestBody ProjectTemplateSync.ApplyRequest body) {
        return sync.apply(actor, templateId, body);
    }
}
