package dev.keyhaven.server.project;

import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgSubject;
import dev.keyhaven.server.access.PermissionService;
import dev.keyhaven.server.access.PermissionSet;
import dev.keyhaven.server.access.ProjectAction;
import dev.keyhaven.server.access.ProjectRoleService;
import dev.keyhaven.server.access.ProjectSubject;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.audit.AuditEvent;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.audit.AuditLog;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.platform.web.ValidationException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * Keeps projects and the template they were made from together, beyond Infisical (whose templates
 * reach only new projects): a drift report of how each project now differs from its template, and
 * an opt-in apply that brings chosen projects up to the template's current version. Apply adds
 * what is missing and fixes what differs; it removes what a project added only when asked, and
 * never an environment that still holds secrets. It is all or nothing: an actor that does not
 * administer every chosen project changes none of them.
 */
@Service
public class ProjectTemplateSync {
    private static final int MAX_PROJECTS = 100;

    private final ProjectTemplateService templates;
    private final ProjectService projects;
    private final ProjectStore store;
    private final ProjectRoleService roles;
    private final EnvironmentContents contents;
    private final PermissionService permissions;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final Clock clock;

    public ProjectTemplateSync(
            ProjectTemplateService templates,
            ProjectService projects,
            ProjectStore store,
            ProjectRoleService roles,
            EnvironmentContents contents,
            PermissionService permissions,
            AuditLog audit,
            TransactionTemplate tx,
            ObjectMapper json,
            Clock clock) {
        this.templates = templates;
        this.projects = projects;
        this.store = store;
        this.roles = roles;
        this.contents = contents;
        this.permissions = permissions;
        this.audit = audit;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
    }

    /** The body of apply: the projects to bring up to date, and whether to remove what they added. */
    public record ApplyRequest(List<String> projectIds, Boolean removeExtras) {}

    /**
     * Drift of every project made from the template that the actor can see (member, with read on
     * roles and environments); the others are only counted, so the report never names a project
     * the actor could not list.
     */
    public Map<String, Object> drift(Actor actor, String templateId) {
        permissions.org(actor).require(OrgSubject.PROJECT_TEMPLATES, OrgAction.READ);
        ProjectTemplate t = templates.find(actor, templateId);
        List<Map<String, Object>> out = new ArrayList<>();
        int hidden = 0;
        for (ProjectTemplateStore.Link link : templates.links(t.id())) {
            Optional<Project> project = store.find(link.projectId());
            Optional<PermissionSet> set = project.flatMap(p -> projectPermissions(actor, p));
            if (set.isEmpty()
                    || !set.get().can(ProjectSubject.ROLE, ProjectAction.READ)
                    || !set.get().can(ProjectSubject.ENVIRONMENTS, ProjectAction.READ)) {
                hidden++;
                continue;
            }
            Project p = project.get();
            TemplateDrift drift = driftOf(t, p);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("projectId", p.id());
            m.put("projectName", p.name());
            m.put("projectSlug", p.slug());
            m.put("templateVersion", link.templateVersion());
            m.put("currentVersion", t.version());
            m.put("inSync", drift.isEmpty());
            m.putAll(drift.toJson());
            out.add(m);
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("templateId", t.id());
        report.put("templateName", t.name());
        report.put("currentVersion", t.version());
        report.put("projects", out);
        report.put("hiddenProjects", hidden);
        return report;
    }

    public Map<String, Object> apply(Actor actor, String templateId, ApplyRequest req) {
        permissions.org(actor).require(OrgSubject.PROJECT_TEMPLATES, OrgAction.EDIT);
        ProjectTemplate t = templates.find(actor, templateId);
        boolean removeExtras = req != null && Boolean.TRUE.equals(req.removeExtras());
        List<Project> targets = targets(actor, t, req);
        List<Map<String, Object>> refused = new ArrayList<>();
        for (Project p : targets) {
            if (!administers(actor, p, removeExtras)) {
                refused.add(Map.of("projectId", p.id(), "projectName", p.name()));
            }
        }
        if (!refused.isEmpty()) {
            throw new ApiException(
                    403,
                    "PermissionDenied",
                    "You may apply a template only to projects you administer "
                            + "(role create/edit, environments create/edit/delete"
                            + (removeExtras ? ", role delete" : "")
                            + "); not applied to any project. Refused: "
                            + String.join(
                                    ", ",
                                    refused.stream()
                                            .map(r -> (String) r.get("projectId"))
                                            .toList()),
                    refused);
        }
        List<Map<String, Object>> results = tx.execute(s -> {
            List<TemplateDrift> drifts =
                    targets.stream().map(p -> driftOf(t, p)).toList();
            if (removeExtras) {
                for (int i = 0; i < targets.size(); i++) {
                    refuseNonEmptyExtras(targets.get(i), drifts.get(i));
                }
            }
            List<Map<String, Object>> out = new ArrayList<>();
            for (int i = 0; i < targets.size(); i++) {
                out.add(applyTo(actor, t, targets.get(i), drifts.get(i), removeExtras));
            }
            return out;
        });
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("templateId", t.id());
        response.put("templateVersion", t.version());
        response.put("projects", results);
        return response;
    }

    private List<Project> targets(Actor actor, ProjectTemplate t, ApplyRequest req) {
        if (req == null || req.projectIds() == null || req.projectIds().isEmpty()) {
            throw ValidationException.field("projectIds", "At least one project id is required");
        }
        if (req.projectIds().size() > MAX_PROJECTS) {
            throw ValidationException.field("projectIds", "At most " + MAX_PROJECTS + " projects at a time");
        }
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < req.projectIds().size(); i++) {
            String id = req.projectIds().get(i);
            if (id == null || id.isBlank()) {
                throw ValidationException.required("projectIds." + i);
            }
            ids.add(id);
        }
        List<Project> out = new ArrayList<>();
        List<String> foreign = new ArrayList<>();
        for (String id : ids) {
            Project p = projects.resolve(actor, id, null);
            Optional<ProjectTemplateStore.Link> link = templates.link(p.id());
            if (link.isEmpty() || !link.get().templateId().equals(t.id())) {
                foreign.add(p.id());
            }
            out.add(p);
        }
        if (!foreign.isEmpty()) {
            throw ApiException.badRequest("Not made from template '" + t.name() + "': " + String.join(", ", foreign));
        }
        return out;
    }

    /** Apply must never reach further than the actor could by hand: it needs the project rights it exercises. */
    private boolean administers(Actor actor, Project p, boolean removeExtras) {
        Optional<PermissionSet> set = projectPermissions(actor, p);
        if (set.isEmpty()) {
            return false;
        }
        PermissionSet s = set.get();
        return s.can(ProjectSubject.ROLE, ProjectAction.CREATE)
                && s.can(ProjectSubject.ROLE, ProjectAction.EDIT)
                && s.can(ProjectSubject.ENVIRONMENTS, ProjectAction.CREATE)
                && s.can(ProjectSubject.ENVIRONMENTS, ProjectAction.EDIT)
                && s.can(ProjectSubject.ENVIRONMENTS, ProjectAction.DELETE)
                && (!removeExtras || s.can(ProjectSubject.ROLE, ProjectAction.DELETE));
    }

    private Optional<PermissionSet> projectPermissions(Actor actor, Project p) {
        try {
            return Optional.of(permissions.project(actor, p.id()));
        } catch (ApiException notAMember) {
            return Optional.empty();
        }
    }

    private TemplateDrift driftOf(ProjectTemplate t, Project p) {
        return TemplateDrift.of(t, store.envs(p.id()), roles.definitions(p.id()), json);
    }

    private void refuseNonEmptyExtras(Project p, TemplateDrift drift) {
        for (Environment env : drift.extraEnvironments()) {
            long secrets = contents.secretCount(env.id());
            if (secrets > 0) {
                throw ApiException.conflict("Environment '" + env.slug() + "' of project '" + p.name() + "' (" + p.id()
                        + ") still holds " + secrets
                        + " secret(s); move or delete them, or apply without removeExtras. "
                        + "Nothing was applied.");
            }
        }
    }

    private Map<String, Object> applyTo(
            Actor actor, ProjectTemplate t, Project p, TemplateDrift drift, boolean removeExtras) {
        long now = clock.millis();
        Changes envChanges = new Changes();
        if (t.environments() != null) {
            if (removeExtras) {
                for (Environment extra : drift.extraEnvironments()) {
                    store.deleteEnv(extra.id());
                    envChanges.removed.add(extra.slug());
                }
            }
            for (ProjectTemplate.Env missing : drift.missingEnvironments()) {
                projects.insertEnv(p.id(), missing.name(), missing.slug(), Integer.MAX_VALUE, now);
                envChanges.added.add(missing.slug());
            }
            for (TemplateDrift.EnvChange c : drift.changedEnvironments()) {
                if (c.nameDiffers()) {
                    Environment e = c.current();
                    store.updateEnv(new Environment(
                            e.id(), e.projectId(), c.wanted().name(), e.slug(), e.position(), e.createdAt(), now));
                }
                envChanges.updated.add(c.current().slug());
            }
            reorder(p, t);
        }
        Changes roleChanges = new Changes();
        if (removeExtras) {
            for (ProjectRoleService.Definition extra : drift.extraRoles()) {
                roles.removeDefinition(p.id(), extra.slug());
                roleChanges.removed.add(extra.slug());
            }
        }
        for (ProjectRoleService.Definition missing : drift.missingRoles()) {
            roles.putDefinition(p.id(), missing);
            roleChanges.added.add(missing.slug());
        }
        for (TemplateDrift.RoleChange c : drift.changedRoles()) {
            roles.putDefinition(p.id(), c.wanted());
            roleChanges.updated.add(c.wanted().slug());
        }
        int fromVersion = templates
                .link(p.id())
                .map(ProjectTemplateStore.Link::templateVersion)
                .orElse(0);
        templates.setLinkVersion(p.id(), t.version());
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("environments", envChanges.toJson());
        changes.put("roles", roleChanges.toJson());
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("templateId", t.id());
        metadata.put("templateName", t.name());
        metadata.put("fromVersion", fromVersion);
        metadata.put("toVersion", t.version());
        metadata.put("removeExtras", removeExtras);
        metadata.put("changes", changes);
        audit.record(AuditEvent.of(actor, p.id(), p.name(), AuditEventType.APPLY_PROJECT_TEMPLATE, metadata));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("projectId", p.id());
        result.put("projectName", p.name());
        result.put("fromVersion", fromVersion);
        result.put("templateVersion", t.version());
        result.put("changes", changes);
        return result;
    }

    /** The template's environments at their template positions, then the project's own in their present order. */
    private void reorder(Project p, ProjectTemplate t) {
        List<Environment> envs = store.envs(p.id());
        List<Environment> ordered = new ArrayList<>();
        for (ProjectTemplate.Env wanted : t.environments()) {
            envs.stream()
                    .filter(e -> e.slug().equals(wanted.slug()))
                    .findFirst()
                    .ifPresent(ordered::add);
        }
        envs.stream().filter(e -> !ordered.contains(e)).forEach(ordered::add);
        for (int i = 0; i < ordered.size(); i++) {
            if (ordered.get(i).position() != i + 1) {
                store.setPosition(ordered.get(i).id(), i + 1);
            }
        }
    }

    /** Slugs added, updated and removed in one project, for the response and the audit event. */
    private static final class Changes {
        final List<String> added = new ArrayList<>();
        final List<String> updated = new ArrayList<>();
        final List<String> removed = new ArrayList<>();

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("added", added);
            m.put("updated", updated);
            m.put("removed", removed);
            return m;
        }
    }
}
