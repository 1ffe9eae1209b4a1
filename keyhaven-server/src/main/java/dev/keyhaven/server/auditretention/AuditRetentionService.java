package dev.keyhaven.server.auditretention;

import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgSubject;
import dev.keyhaven.server.access.PermissionService;
import dev.keyhaven.server.access.ProjectAction;
import dev.keyhaven.server.access.ProjectSubject;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.audit.AuditEvent;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.audit.AuditLog;
import dev.keyhaven.server.platform.web.ValidationException;
import dev.keyhaven.server.project.Project;
import dev.keyhaven.server.project.ProjectService;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads and changes how long audit rows are kept: per organization (days, or the instance default;
 * a legal hold that suspends deletion) and per project (days, only shorter than the org's).
 * Changes are audited with the policy before and after.
 */
@Service
public class AuditRetentionService {
    /** A new org policy: {@code retentionDays} null = the instance default. */
    public record OrgUpdate(Integer retentionDays, Boolean legalHold) {}

    /** Infisical's body for a project's retention. */
    public record ProjectUpdate(Integer auditLogsRetentionDays) {}

    /** An org's policy as answered: its own days (null = default), hold, the default, what applies (0 = for ever). */
    public record OrgRetention(
            Integer retentionDays, boolean legalHold, int instanceDefaultDays, int effectiveRetentionDays) {}

    /** A project's retention as answered: its own days (null = the org's) and what applies (0 = for ever). */
    public record ProjectRetention(
            String id, String slug, Integer auditLogsRetentionDays, int effectiveRetentionDays) {}

    private final RetentionStore store;
    private final RetentionProperties defaults;
    private final PermissionService permissions;
    private final ProjectService projects;
    private final AuditLog audit;
    private final Clock clock;

    AuditRetentionService(
            RetentionStore store,
            RetentionProperties defaults,
            PermissionService permissions,
            ProjectService projects,
            AuditLog audit,
            Clock clock) {
        this.store = store;
        this.defaults = defaults;
        this.permissions = permissions;
        this.projects = projects;
        this.audit = audit;
        this.clock = clock;
    }

    public OrgRetention orgPolicy(Actor actor) {
        permissions.org(actor).require(OrgSubject.SETTINGS, OrgAction.READ);
        return orgJson(orgPolicyOf(actor.orgId()));
    }

    @Transactional
    public OrgRetention updateOrgPolicy(Actor actor, OrgUpdate body) {
        permissions.org(actor).require(OrgSubject.SETTINGS, OrgAction.EDIT);
        if (body == null) {
            throw ValidationException.required("retentionDays");
        }
        Integer days = body.retentionDays();
        if (days != null && (days < 1 || days > RetentionPolicy.MAX_DAYS)) {
            throw ValidationException.field(
                    "retentionDays", "Must be between 1 and " + RetentionPolicy.MAX_DAYS + ", or null for the default");
        }
        RetentionPolicy before = orgPolicyOf(actor.orgId());
        boolean hold = body.legalHold() != null ? body.legalHold() : before.legalHold();
        RetentionPolicy after = new RetentionPolicy(actor.orgId(), null, days, hold);
        store.save(actor.orgId(), after, clock.millis());
        audit.record(AuditEvent.of(
                actor,
                null,
                null,
                AuditEventType.UPDATE_AUDIT_RETENTION,
                Map.of("before", orgMetadata(before), "after", orgMetadata(after))));
        return orgJson(after);
    }

    public ProjectRetention projectPolicy(Actor actor, String projectSlug) {
        Project p = projects.resolve(actor, null, projectSlug);
        permissions.project(actor, p.id()).require(ProjectSubject.SETTINGS, ProjectAction.READ);
        return projectJson(p, store.find(p.id()).map(RetentionPolicy::days).orElse(null), orgDaysOf(p.orgId()));
    }

    @Transactional
    public ProjectRetention updateProjectPolicy(Actor actor, String projectSlug, ProjectUpdate body) {
        Project p = projects.resolve(actor, null, projectSlug);
        permissions.project(actor, p.id()).require(ProjectSubject.SETTINGS, ProjectAction.EDIT);
        if (body == null || body.auditLogsRetentionDays() == null) {
            throw ValidationException.required("auditLogsRetentionDays");
        }
        int days = body.auditLogsRetentionDays();
        int orgDays = orgDaysOf(p.orgId());
        int max = orgDays == 0 ? RetentionPolicy.MAX_DAYS : orgDays;
        if (days < 1 || days > max) {
            throw ValidationException.field(
                    "auditLogsRetentionDays",
                    "Must be between 1 and " + max
                            + (orgDays == 0
                                    ? ""
                                    : " (a project may only keep audit logs "
                                            + "for less than its organization, which keeps them " + orgDays
                                            + " days)"));
        }
        Integer before = store.find(p.id()).map(RetentionPolicy::days).orElse(null);
        store.save(p.id(), new RetentionPolicy(p.orgId(), p.id(), days, false), clock.millis());
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("before", before == null ? "default" : before);
        meta.put("after", days);
        audit.record(AuditEvent.of(actor, p.id(), p.name(), AuditEventType.UPDATE_PROJECT_AUDIT_RETENTION, meta));
        return projectJson(p, days, orgDays);
    }

    private RetentionPolicy orgPolicyOf(String orgId) {
        return store.find(orgId).orElse(RetentionPolicy.none(orgId, null));
    }

    private OrgRetention orgJson(RetentionPolicy p) {
        return new OrgRetention(p.days(), p.legalHold(), defaults.days(), p.effectiveOrgDays(defaults.days()));
    }

    private static Map<String, Object> orgMetadata(RetentionPolicy p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("retentionDays", p.days() == null ? "default" : p.days());
        m.put("legalHold", p.legalHold());
        return m;
    }

    /** The days the project's org keeps rows (0 = for ever). */
    private int orgDaysOf(String orgId) {
        return orgPolicyOf(orgId).effectiveOrgDays(defaults.days());
    }

    private static ProjectRetention projectJson(Project p, Integer days, int orgDays) {
        return new ProjectRetention(p.id(), p.slug(), days, RetentionPolicy.effectiveProjectDays(days, orgDays));
    }
}
