package dev.keyhaven.server.auditretention;

import dev.keyhaven.server.audit.AuditEvent;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.audit.AuditLog;
import dev.keyhaven.server.platform.json.Iso;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes audit rows older than their retention, hourly, on one node at a time (a lease in {@code
 * job_leases}; another node finds it taken and skips the run). Per org: nothing under a legal
 * hold; else rows older than the org's days (or the instance default; 0 keeps them), then, for
 * projects with a shorter retention of their own, that project's older rows. Deletes in batches
 * so no statement holds a long lock, and records each org's deletion in its own audit log
 * ({@code audit-logs-deleted}, with the count and the cut-off), which the next run keeps as it is
 * new.
 */
@Component
class AuditRetentionJob {
    private static final Logger log = LoggerFactory.getLogger(AuditRetentionJob.class);
    private static final int ORG_PAGE = 500;
    private static final int DELETE_BATCH = 5_000;
    private static final Duration LEASE = Duration.ofMinutes(10);
    private static final long DAY = Duration.ofDays(1).toMillis();

    private final RetentionStore store;
    private final RetentionProperties defaults;
    private final AuditLog audit;
    private final Clock clock;
    private final String node = "retention-" + UUID.randomUUID();

    AuditRetentionJob(RetentionStore store, RetentionProperties defaults, AuditLog audit, Clock clock) {
        this.store = store;
        this.defaults = defaults;
        this.audit = audit;
        this.clock = clock;
    }

    @Scheduled(initialDelayString = "PT11M", fixedDelayString = "PT1H")
    void scheduled() {
        try {
            long deleted = runOnce();
            if (deleted > 0) {
                log.info("Audit retention: deleted {} audit rows past their retention", deleted);
            }
        } catch (RuntimeException e) {
            log.warn("Audit retention run failed (it runs again within the hour): {}", e.getMessage());
        }
    }

    /** One run if this node gets the lease; the number of rows deleted (-1 when another node holds it). */
    long runOnce() {
        long now = clock.millis();
        if (!store.claim(node, now, now + LEASE.toMillis())) {
            return -1;
        }
        try {
            long total = 0;
            String after = "";
            List<String> orgs;
            do {
                orgs = store.orgIds(after, ORG_PAGE);
                for (String orgId : orgs) {
                    after = orgId;
                    total += purgeOrg(orgId, now);
                    store.claim(node, clock.millis(), clock.millis() + LEASE.toMillis());
                }
            } while (orgs.size() == ORG_PAGE);
            return total;
        } finally {
            store.release(node);
        }
    }

    private long purgeOrg(String orgId, long now) {
        RetentionPolicy policy = store.find(orgId).orElse(RetentionPolicy.none(orgId, null));
        if (policy.legalHold()) {
            return 0;
        }
        int orgDays = policy.effectiveOrgDays(defaults.days());
        long deleted = 0;
        if (orgDays > 0) {
            long before = now - orgDays * DAY;
            int n = deleteAll(() -> store.deleteOrgRows(orgId, before, DELETE_BATCH));
            deleted += n;
            recorded(orgId, null, n, before, orgDays);
        }
        for (RetentionPolicy project : store.projectPolicies(orgId)) {
            int days = RetentionPolicy.effectiveProjectDays(project.days(), orgDays);
            if (days > 0 && (orgDays == 0 || days < orgDays)) {
                long before = now - days * DAY;
                int n = deleteAll(() -> store.deleteProjectRows(orgId, project.projectId(), before, DELETE_BATCH));
                deleted += n;
                recorded(orgId, project.projectId(), n, before, days);
            }
        }
        return deleted;
    }

    private static int deleteAll(IntSupplier batch) {
        int total = 0;
        int n;
        do {
            n = batch.getAsInt();
            total += n;
        } while (n == DELETE_BATCH);
        return total;
    }

    private void recorded(String orgId, String projectId, int count, long before, int days) {
        if (count == 0) {
            return;
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("count", count);
        meta.put("before", Iso.of(before));
        meta.put("retentionDays", days);
        audit.record(new AuditEvent(
                orgId,
                projectId,
                null,
                "platform",
                null,
                Map.of(),
                AuditEventType.AUDIT_LOGS_DELETED,
                meta,
                null,
                null));
    }
}
