package dev.keyhaven.server.org;

import dev.keyhaven.server.access.OwnAccount;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.audit.AuditEvent;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.audit.AuditLog;
import dev.keyhaven.server.platform.web.ValidationException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/v2/organizations}: a person creates an organization and becomes its admin. */
@RestController
public class OrgCreationController {
    private final OrgService orgs;
    private final AuditLog audit;
    private final TransactionTemplate tx;

    public OrgCreationController(OrgService orgs, AuditLog audit, TransactionTemplate tx) {
        this.orgs = orgs;
        this.audit = audit;
        this.tx = tx;
    }

    record NewOrg(String name) {}

    @PostMapping("/api/v2/organizations")
    @OwnAccount("creates an organization that the person then administers")
    public Map<String, Object> create(Actor actor, @RequestBody NewOrg body) {
        String name = body.name() == null ? "" : body.name().strip();
        if (name.isEmpty() || name.length() > 64 || name.chars().anyMatch(Character::isISOControl)) {
            throw ValidationException.field(
                    "name", "Organization name must be 1 to 64 characters without control characters");
        }
        Organization org = tx.execute(s -> {
            Organization o = orgs.createOrganization(name);
            orgs.addMember(o.id(), "user", actor.id(), "admin");
            audit.record(new AuditEvent(
                    o.id(),
                    null,
                    null,
                    "user",
                    actor.id(),
                    AuditEvent.actorMetadata(actor),
                    AuditEventType.CREATE_ORGANIZATION,
                    Map.of("name", name),
                    actor.ipAddress(),
                    actor.userAgent()));
            return o;
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", org.id());
        out.put("name", org.name());
        out.put("slug", org.slug());
        return Map.of("organization", out);
    }
}
