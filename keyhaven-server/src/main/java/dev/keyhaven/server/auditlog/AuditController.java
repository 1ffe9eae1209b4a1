package dev.keyhaven.server.auditlog;

import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgPermission;
import dev.keyhaven.server.access.OrgSubject;
import dev.keyhaven.server.actor.Actor;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/organization/audit-logs}: the audit log of the caller's organization. */
@RestController
public class AuditController {
    private final AuditQueryService audit;

    public AuditController(AuditQueryService audit) {
        this.audit = audit;
    }

    @GetMapping("/api/v1/organization/audit-logs")
    @OrgPermission(subject = OrgSubject.AUDIT_LOGS, actions = OrgAction.READ)
    public Map<String, Object> list(Actor actor, @RequestParam Map<String, String> q) {
        return Map.of("auditLogs", audit.find(actor, q));
    }
}
