package dev.keyhaven.server.dynamic;

import dev.keyhaven.server.platform.db.Ids;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Revokes leases at their expiry on every node: each pass claims due leases in batches (a node
 * claims a lease only while no other claim on it holds) until none is left. The leases live in the
 * database, so a lease that expired while every node was down is revoked on the first pass after
 * start-up, and one whose node died mid-revocation is taken up again when that claim runs out.
 */
@Component
public class LeaseExpiry {
    static final int BATCH = 100;
    private static final Logger log = LoggerFactory.getLogger(LeaseExpiry.class);
    private final Revocations revocations;
    private final String node = "node-" + Ids.newId().substring(0, 8);

    LeaseExpiry(Revocations revocations) {
        this.revocations = revocations;
    }

    @Scheduled(initialDelayString = "PT5S", fixedDelayString = "${keyhaven.dynamic-secrets.expiry-interval:PT5S}")
    public void run() {
        try {
            int total = sweep(node);
            if (total > 0) {
                log.info("Revoked {} expired dynamic-secret leases", total);
            }
        } catch (RuntimeException e) {
            log.warn("Dynamic-secret lease expiry pass failed: {}", e.getClass().getSimpleName());
        }
    }

    /** One pass as {@code nodeName}: claims and revokes batches until no due lease is left; returns the count. */
    public int sweep(String nodeName) {
        int total = 0;
        for (int i = 0; i < 1000; i++) {
            int n = revocations.sweep(nodeName, BATCH);
            total += n;
            if (n == 0) {
                break;
            }
        }
        return total;
    }
}
