package dev.keyhaven.server.access;

import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.audit.AuditEvent;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.audit.AuditLog;
import dev.keyhaven.server.platform.db.Ids;
import dev.keyhaven.server.platform.json.Iso;
import dev.keyhaven.server.platform.net.IpRange;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.platform.web.ValidationException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Project trusted IPs (Infisical's {@code /trusted-ips}): list, add, change and remove the address
 * blocks a project may be reached from, under the {@code ip-allowlist} permission. Changes are
 * audited ({@code add-trusted-ip}, {@code update-trusted-ip}, {@code delete-trusted-ip}) and take
 * effect on this node at once; {@link ProjectIpAllowlist} enforces them.
 */
@Service
public class ProjectTrustedIpService {
    static final ProjectSubject SUBJECT = ProjectSubject.IP_ALLOWLIST;
    private static final int MAX_COMMENT = 500;
    private static final int MAX_ENTRIES = 500;
    private static final String INVALID = "The IP is not a valid IPv4, IPv6, or CIDR block";

    private final ProjectTrustedIpStore store;
    private final ProjectIpAllowlist allowlist;
    private final PermissionService permissions;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    ProjectTrustedIpService(
            ProjectTrustedIpStore store,
            ProjectIpAllowlist allowlist,
            PermissionService permissions,
            AuditLog audit,
            TransactionTemplate tx,
            Clock clock) {
        this.store = store;
        this.allowlist = allowlist;
        this.permissions = permissions;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    /** What a client may send; on update every field is optional. */
    public record Input(String ipAddress, String comment, Boolean isActive) {}

    public List<Map<String, Object>> list(Actor actor, String projectId) {
        permissions.project(actor, projectId).require(SUBJECT, ProjectAction.READ);
        return store.list(projectId).stream()
                .map(ProjectTrustedIpService::toJson)
                .toList();
    }

    public Map<String, Object> create(Actor actor, String projectId, String projectName, Input in) {
        permissions.project(actor, projectId).require(SUBJECT, ProjectAction.CREATE);
        if (in.ipAddress() == null) {
            throw ValidationException.required("ipAddress");
        }
        IpRange range = range(in.ipAddress());
        String comment = comment(in.comment(), "");
        if (store.list(projectId).size() >= MAX_ENTRIES) {
            throw ApiException.badRequest("A project may have at most " + MAX_ENTRIES + " trusted IP entries");
        }
        long now = clock.millis();
        ProjectTrustedIpStore.TrustedIpRow row = new ProjectTrustedIpStore.TrustedIpRow(
                Ids.newId(),
                projectId,
                range.addressText(),
                range.type(),
                range.writtenPrefix(),
                in.isActive() == null || in.isActive(),
                comment,
                now,
                now);
        tx.executeWithoutResult(s -> {
            store.insert(row);
            audit.record(AuditEvent.of(actor, projectId, projectName, AuditEventType.ADD_TRUSTED_IP, meta(row)));
        });
        allowlist.invalidate(projectId);
        return toJson(row);
    }

    public Map<String, Object> update(Actor actor, String projectId, String projectName, String trustedIpId, Input in) {
        permissions.project(actor, projectId).require(SUBJECT, ProjectAction.EDIT);
        ProjectTrustedIpStore.TrustedIpRow old = find(projectId, trustedIpId);
        IpRange range = in.ipAddress() == null ? null : range(in.ipAddress());
        ProjectTrustedIpStore.TrustedIpRow row = new ProjectTrustedIpStore.TrustedIpRow(
                old.id(),
                projectId,
                range == null ? old.ipAddress() : range.addressText(),
                range == null ? old.type() : range.type(),
                range == null ? old.prefix() : range.writtenPrefix(),
                in.isActive() == null ? old.active() : in.isActive(),
                comment(in.comment(), old.comment()),
                old.createdAt(),
                clock.millis());
        tx.executeWithoutResult(s -> {
            store.update(row);
            audit.record(AuditEvent.of(actor, projectId, projectName, AuditEventType.UPDATE_TRUSTED_IP, meta(row)));
        });
        allowlist.invalidate(projectId);
        return toJson(row);
    }

    public Map<String, Object> delete(Actor actor, String projectId, String projectName, String trustedIpId) {
        permissions.project(actor, projectId).require(SUBJECT, ProjectAction.DELETE);
        ProjectTrustedIpStore.TrustedIpRow row = find(projectId, trustedIpId);
        tx.executeWithoutResult(s -> {
            store.delete(projectId, row.id());
            audit.record(AuditEvent.of(actor, projectId, projectName, AuditEventType.DELETE_TRUSTED_IP, meta(row)));
        });
        allowlist.invalidate(projectId);
        return toJson(row);
    }

    private ProjectTrustedIpStore.TrustedIpRow find(String projectId, String trustedIpId) {
        return (Ids.looksLikeId(trustedIpId)
                        ? store.byId(projectId, trustedIpId)
                        : Optional.<ProjectTrustedIpStore.TrustedIpRow>empty())
                .orElseThrow(() -> ApiException.notFound("Trusted IP with ID " + trustedIpId + " not found"));
    }

    private static IpRange range(String ipAddress) {
        if (ipAddress.isBlank()) {
            throw ValidationException.field("ipAddress", "Required");
        }
        // Infisical answers 400 (not a validation issue) for an address that does not parse
        return IpRange.parse(ipAddress).orElseThrow(() -> ApiException.badRequest(INVALID));
    }

    private static String comment(String comment, String fallback) {
        if (comment == null) {
            return fallback;
        }
        String trimmed = comment.trim();
        if (trimmed.length() > MAX_COMMENT) {
            throw ValidationException.field("comment", "String must contain at most " + MAX_COMMENT + " character(s)");
        }
        return trimmed;
    }

    private static Map<String, Object> meta(ProjectTrustedIpStore.TrustedIpRow row) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("trustedIpId", row.id());
        m.put("ipAddress", row.ipAddress());
        if (row.prefix() != null) {
            m.put("prefix", row.prefix());
        }
        m.put("isActive", row.active());
        return m;
    }

    static Map<String, Object> toJson(ProjectTrustedIpStore.TrustedIpRow row) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", row.id());
        m.put("ipAddress", row.ipAddress());
        m.put("type", row.type());
        m.put("prefix", row.prefix());
        m.put("isActive", row.active());
        m.put("comment", row.comment());
        m.put("projectId", row.projectId());
        m.put("createdAt", Iso.of(row.createdAt()));
        m.put("updatedAt", Iso.of(row.updatedAt()));
        return m;
    }
}
