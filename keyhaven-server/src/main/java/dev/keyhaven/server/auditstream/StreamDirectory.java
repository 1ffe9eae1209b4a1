package dev.keyhaven.server.auditstream;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Which streams each organization has, as the audit sink asks for every recorded event. Kept for
 * {@link AuditStreamProperties#directoryTtl()} (5 s by default) per organization, so an organization without streams costs one small indexed query
 * every few seconds rather than one per event; a change on this node drops the entry when it
 * commits, and other nodes see it within the TTL.
 */
@Component
class StreamDirectory {
    private final AuditStreamStore store;
    private final Cache<String, List<AuditStreamStore.Target>> byOrg;

    StreamDirectory(AuditStreamStore store, AuditStreamProperties settings) {
        this.store = store;
        this.byOrg = Caffeine.newBuilder()
                .expireAfterWrite(settings.directoryTtl())
                .maximumSize(100_000)
                .build();
    }

    List<AuditStreamStore.Target> targets(String orgId) {
        return byOrg.get(orgId, store::targets);
    }

    /** Forgets the organization's streams once the current transaction commits (at once without one). */
    void changed(String orgId) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    byOrg.invalidate(orgId);
                }
            });
        } else {
            byOrg.invalidate(orgId);
        }
    }
}
