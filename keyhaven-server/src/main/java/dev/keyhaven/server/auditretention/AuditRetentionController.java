package dev.keyhaven.server.auditretention;

import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgPermission;
import dev.keyhaven.server.access.OrgSubject;
import dev.keyhaven.server.access.ProjectAction;
import dev.keyhaven.server.access.ProjectPermission;
import dev.keyhaven.server.access.ProjectSubject;
import dev.keyhaven.server.actor.Actor;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Audit retention: the organization's policy (days, legal hold) at {@code
 * /api/v1/organization/audit-logs/retention}, and a project's shorter retention at Infisical's
 * {@code /api/v1/workspace/:workspaceSlug/audit-logs-retention}.
 */
@RestController
public class AuditRetentionController {
    private final AuditRetentionService retention;

    public AuditRetentionController(AuditRetentionService retention) {
        this.retention = retention;
    }

    @GetMapping("/api/v1/organization/audit-logs/retention")
    @OrgPermission(subject = OrgSubject.SETTINGS, actions = OrgAction.READ)
    public Map<String, Object> orgPolicy(Actor actor) {
        return Map.of("retention", retention.orgPolicy(actor));
    }

    @PutMapping("/api/v1/organization/audit-logs/retention")
    @OrgPermission(subject = OrgSubject.SETTINGS, actions = OrgAction.EDIT)
    public Map<String, Object> updateOrgPolicy(Actor actor, @RequestBody AuditRetentionService.OrgUpdate body) {
        return Map.of("retention", retention.updateOrgPolicy(actor, body));
    }

    @GetMapping("/api/v1/workspace/{workspaceSlug}/audit-logs-retention")
    @ProjectPermission(subject = ProjectSubject.SETTINGS, actions = ProjectAction.READ)
    public Map<String, Object> projectPolicy(Actor actor, @PathVariable String workspaceSlug) {
        return Map.of("workspace", retention.projectPolicy(actor, workspaceSlug));
    }

    @PutMapping("/api/v1/workspace/{workspaceSlug}/audit-logs-retention")
    @ProjectPermission(subject = ProjectSubject.SETTINGS, actions = ProjectAction.EDIT)
    public Map<String, Object> updateProjectPolicy(
            Actor actor, @PathVariable String workspaceSlug, @RequestBody AuditRetentionService.ProjectUpdate body) {
        return Map.of(
                "message",
                "Successfully updated project's audit logs retention period",
                "workspace",
                retention.updateProjectPolicy(actor, workspaceSlug, body));
    }
}
