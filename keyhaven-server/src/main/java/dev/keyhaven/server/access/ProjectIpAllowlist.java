package dev.keyhaven.server.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.audit.AuditEvent;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.audit.AuditLog;
import dev.keyhaven.server.platform.net.IpRange;
import dev.keyhaven.server.platform.web.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Enforces project trusted IPs: while a project has active entries, an actor whose request comes
 * from outside all of them is refused (403) for anything in that project, and the refusal is
 * audited with the address. A project without active entries is open to every address. The
 * entries are cached per project for a few seconds; a change made on this node clears its cache
 * at once, other nodes see it within {@link #TTL}.
 */
@Component
public class ProjectIpAllowlist {
    static final Duration TTL = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(ProjectIpAllowlist.class);
    /** A project's active entries; {@code restricted} is false when it has none (every address may enter). */
    private record Entries(boolean restricted, List<IpRange> ranges) {}

    private final Cache<String, Entries> cache =
            Caffeine.newBuilder().expireAfterWrite(TTL).maximumSize(20_000).build();
    private final ProjectTrustedIpStore store;
    private final AuditLog audit;

    ProjectIpAllowlist(ProjectTrustedIpStore store, AuditLog audit) {
        this.store = store;
        this.audit = audit;
    }

    /** Refuses (403, audited) when the project has active entries and the actor's address is in none. */
    void check(Actor actor, String projectId) {
        Entries entries = cache.get(projectId, this::load);
        if (!entries.restricted()) {
            return;
        }
        byte[] address = IpRange.address(actor.ipAddress());
        for (IpRange range : entries.ranges()) {
            if (range.contains(address)) {
                return;
            }
        }
        auditRefusal(actor, projectId);
        throw ApiException.forbidden("You are not allowed to access this project from the IP address "
                + actor.ipAddress() + " (project trusted IPs)");
    }

    void invalidate(String projectId) {
        cache.invalidate(projectId);
    }

    private Entries load(String projectId) {
        List<String> blocks = store.activeBlocks(projectId);
        List<IpRange> ranges = new ArrayList<>(blocks.size());
        for (String block : blocks) {
            // entries are validated on write; one that no longer parses admits nobody rather than everybody
            IpRange.parse(block)
                    .ifPresentOrElse(
                            ranges::add,
                            () -> log.warn(
                                    "Project {} has a trusted IP entry that does not parse; it matches no address",
                                    projectId));
        }
        return new Entries(!blocks.isEmpty(), List.copyOf(ranges));
    }

    private void auditRefusal(Actor actor, String projectId) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("ipAddress", String.valueOf(actor.ipAddress()));
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attrs) {
            HttpServletRequest request = attrs.getRequest();
            meta.put("method", request.getMethod());
            String path = request.getRequestURI();
            meta.put("path", path.length() > 512 ? path.substring(0, 512) : path);
        }
        try {
            audit.recordRead(AuditEvent.of(
                    actor,
                    projectId,
                    store.projectName(projectId).orElse(null),
                    AuditEventType.TRUSTED_IP_ACCESS_DENIED,
                    meta));
        } catch (RuntimeException e) {
            // the request is refused either way; a lost audit row must not turn the 403 into a 500
            log.error("Could not record a trusted-IP refusal for project {}: {}", projectId, e.getMessage());
        }
    }
}
