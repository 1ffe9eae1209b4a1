package dev.keyhaven.server.auditlog;

import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgSubject;
import dev.keyhaven.server.access.PermissionService;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.platform.json.Iso;
import dev.keyhaven.server.platform.web.Paging;
import dev.keyhaven.server.platform.web.ValidationException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads the org's audit log with Infisical's filters: the date range (default: since last
 * midnight UTC, at most three months), project, environment, path, key, actor, event types,
 * client type and metadata pairs.
 */
@Service
public class AuditQueryService {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    private static final long THREE_MONTHS = 93L * 86_400_000L;
    private final AuditTrailStore store;
    private final PermissionService permissions;
    private final ObjectMapper json;
    private final Clock clock;

    public AuditQueryService(AuditTrailStore store, PermissionService permissions, ObjectMapper json, Clock clock) {
        this.store = store;
        this.permissions = permissions;
        this.json = json;
        this.clock = clock;
    }

    public List<Map<String, Object>> find(Actor actor, Map<String, String> q) {
        permissions.org(actor).require(OrgSubject.AUDIT_LOGS, OrgAction.READ);
        long now = clock.millis();
        long start = q.get("startDate") == null
                ? LocalDate.now(clock.withZone(ZoneOffset.UTC))
                        .atStartOfDay()
                        .toInstant(ZoneOffset.UTC)
                        .toEpochMilli()
                : instant("startDate", q.get("startDate"));
        long end = q.get("endDate") == null ? now : instant("endDate", q.get("endDate"));
        if (end < start) {
            throw ValidationException.field("endDate", "endDate must not be before startDate");
        }
        if (end - start > THREE_MONTHS) {
            throw ValidationException.field("startDate", "The date range must be at most 3 months");
        }
        if (q.get("environment") != null && q.get("projectId") == null) {
            throw ValidationException.field("environment", "Filtering by environment needs projectId");
        }
        Paging page = Paging.of(q.get("offset"), q.get("limit"), 20, 1000);
        int offset = page.offset();
        int limit = page.limit();
        List<String> eventTypes = q.get("eventType") == null
                ? List.of()
                : Arrays.stream(q.get("eventType").split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList();
        Map<String, String> metaFilter = new LinkedHashMap<>();
        putIfPresent(metaFilter, "environment", q.get("environment"));
        putIfPresent(metaFilter, "secretPath", q.get("secretPath"));
        putIfPresent(metaFilter, "secretKey", q.get("secretKey"));
        if (q.get("eventMetadata") != null) {
            for (String pair : q.get("eventMetadata").split(",")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw ValidationException.field("eventMetadata", "Expected k=v pairs separated by commas");
                }
                metaFilter.put(
                        pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        // Without metadata filters the database pages; with them, the filters are applied after the
        // indexed query, so page through batches until the page is full or the rows run out.
        List<Map<String, Object>> out = new ArrayList<>();
        int skipped = metaFilter.isEmpty() ? offset : 0;
        int dbOffset = metaFilter.isEmpty() ? offset : 0;
        int batch = metaFilter.isEmpty() ? limit : 500;
        while (out.size() < limit) {
            List<AuditTrailStore.Row> rows = store.find(new AuditTrailStore.Filter(
                    actor.orgId(),
                    q.get("projectId"),
                    q.get("actorType"),
                    q.get("actor"),
                    eventTypes,
                    q.get("userAgentType"),
                    start,
                    end,
                    dbOffset,
                    batch));
            for (AuditTrailStore.Row r : rows) {
                Map<String, Object> meta = json.readValue(r.eventMetadata(), MAP);
                if (!matches(meta, metaFilter)) {
                    continue;
                }
                if (skipped < offset) {
                    skipped++;
                    continue;
                }
                if (out.size() < limit) {
                    out.add(toJson(r, meta));
                }
            }
            if (rows.size() < batch) {
                break;
            }
            dbOffset += batch;
        }
        return out;
    }

    private static boolean matches(Map<String, Object> meta, Map<String, String> filter) {
        for (Map.Entry<String, String> f : filter.entrySet()) {
            Object v = meta.get(f.getKey());
            if (v == null || !v.toString().equals(f.getValue())) {
                return false;
            }
        }
        return true;
    }

    private Map<String, Object> toJson(AuditTrailStore.Row r, Map<String, Object> meta) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("ipAddress", r.ipAddress());
        m.put("userAgent", r.userAgent());
        m.put("userAgentType", r.userAgentType());
        m.put("expiresAt", Iso.ofNullable(r.expiresAt()));
        m.put("createdAt", Iso.of(r.createdAt()));
        m.put("updatedAt", Iso.of(r.createdAt()));
        m.put("orgId", r.orgId());
        m.put("projectId", r.projectId());
        m.put("projectName", r.projectName());
        m.put("event", Map.of("type", r.eventType(), "metadata", meta));
        m.put("actor", Map.of("type", r.actorType(), "metadata", json.readValue(r.actorMetadata(), MAP)));
        return m;
    }

    private static long instant(String field, String iso) {
        try {
            return Instant.parse(iso).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw ValidationException.field(field, "Invalid datetime; use ISO-8601 such as 2026-01-31T00:00:00Z");
        }
    }

    private static void putIfPresent(Map<String, String> m, String k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}
