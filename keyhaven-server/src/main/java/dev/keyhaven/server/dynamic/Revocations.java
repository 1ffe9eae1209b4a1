package dev.keyhaven.server.dynamic;

import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.audit.AuditEvent;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.audit.AuditLog;
import dev.keyhaven.server.platform.db.Ids;
import dev.keyhaven.server.platform.web.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Revoking leases, on request and at expiry, the same way: claim the lease (one conditional
 * UPDATE, so two nodes or a request and the sweeper never both act on one lease), ask the provider
 * to remove the credential, then delete the lease under that claim. A revocation at expiry that
 * fails leaves the lease with status {@code FailedDeletion}, its reason and the time of the next
 * try (backing off to an hour); one on request answers 400 unless forced.
 */
@Component
class Revocations {
    static final Duration CLAIM = Duration.ofMinutes(2);
    static final Duration FIRST_RETRY = Duration.ofSeconds(30);
    static final Duration LAST_RETRY = Duration.ofHours(1);

    private final LeaseStore leases;
    private final DynamicSecretStore secrets;
    private final DynamicSecretInputs inputs;
    private final DynamicSecretProviders providers;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    Revocations(
            LeaseStore leases,
            DynamicSecretStore secrets,
            DynamicSecretInputs inputs,
            DynamicSecretProviders providers,
            AuditLog audit,
            TransactionTemplate tx,
            Clock clock) {
        this.leases = leases;
        this.secrets = secrets;
        this.inputs = inputs;
        this.providers = providers;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    /** Revokes one lease for a caller; {@code forced} deletes it even when the provider fails. */
    void onRequest(Actor actor, Location at, DynamicSecretStore.Row secret, LeaseStore.Row lease, boolean forced) {
        String claim = "request:" + Ids.newId();
        long now = clock.millis();
        if (!leases.claim(lease.id(), claim, now, now + CLAIM.toMillis())) {
            throw ApiException.conflict("The lease is being revoked already");
        }
        String failure = null;
        try {
            revoke(secret, lease);
        } catch (RuntimeException e) {
            failure = reason(e);
            if (!forced) {
                leases.release(lease.id(), claim);
                throw ApiException.badRequest("Failed to revoke lease: " + failure);
            }
        }
        Map<String, Object> meta = meta(secret, lease);
        meta.put("isForced", forced);
        if (failure != null) {
            meta.put("providerError", failure);
        }
        tx.executeWithoutResult(s -> {
            leases.deleteClaimed(lease.id(), claim);
            audit.record(AuditEvent.of(
                    actor, at.projectId(), at.projectName(), AuditEventType.DELETE_DYNAMIC_SECRET_LEASE, meta));
        });
    }

    /**
     * Claims up to {@code limit} due leases as {@code node} and revokes them; returns how many were
     * revoked. Safe to run on every node at once.
     */
    int sweep(String node, int limit) {
        long now = clock.millis();
        String claim = node + ":" + Ids.newId();
        int revoked = 0;
        for (LeaseStore.Row lease : leases.claimDue(claim, now, now + CLAIM.toMillis(), limit)) {
            Optional<DynamicSecretStore.Row> secret = secrets.byId(lease.dynamicSecretId());
            try {
                if (secret.isPresent()) {
                    revoke(secret.get(), lease);
                }
            } catch (RuntimeException e) {
                String reason = reason(e);
                long wait = Math.min(LAST_RETRY.toMillis(), FIRST_RETRY.toMillis() << Math.min(lease.attempts(), 10));
                tx.executeWithoutResult(s -> {
                    leases.failed(lease.id(), claim, reason, clock.millis() + wait, clock.millis());
                    Map<String, Object> meta = meta(secret.get(), lease);
                    meta.put("error", reason);
                    meta.put("attempt", lease.attempts() + 1);
                    audit.record(platform(secret.get(), AuditEventType.DYNAMIC_SECRET_LEASE_REVOCATION_FAILED, meta));
                });
                continue;
            }
            boolean done = Boolean.TRUE.equals(tx.execute(s -> {
                boolean deleted = leases.deleteClaimed(lease.id(), claim);
                if (deleted && secret.isPresent()) {
                    audit.record(platform(
                            secret.get(), AuditEventType.EXPIRE_DYNAMIC_SECRET_LEASE, meta(secret.get(), lease)));
                }
                return deleted;
            }));
            revoked += done ? 1 : 0;
        }
        return revoked;
    }

    private void revoke(DynamicSecretStore.Row secret, LeaseStore.Row lease) {
        DynamicSecretProvider provider = providers
                .find(secret.type())
                .orElseThrow(() -> new DynamicSecretException("no provider " + secret.type() + " on this server"));
        provider.revoke(inputs.open(secret), lease.externalEntityId());
    }

    private static String reason(RuntimeException e) {
        String m = e instanceof DynamicSecretException
                ? e.getMessage()
                : "revocation failed (" + e.getClass().getSimpleName() + ")";
        return m.length() > 500 ? m.substring(0, 500) : m;
    }

    private static Map<String, Object> meta(DynamicSecretStore.Row secret, LeaseStore.Row lease) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("leaseId", lease.id());
        m.put("dynamicSecretId", secret.id());
        m.put("dynamicSecretName", secret.name());
        m.put("dynamicSecretType", secret.type());
        m.put("environment", secret.environment());
        m.put("secretPath", secret.path());
        m.put("leaseExternalEntityId", lease.externalEntityId());
        return m;
    }

    private static AuditEvent platform(DynamicSecretStore.Row secret, AuditEventType type, Map<String, Object> meta) {
        return new AuditEvent(
                secret.orgId(), secret.projectId(), null, "platform", null, Map.of(), type, meta, null, null);
    }
}
