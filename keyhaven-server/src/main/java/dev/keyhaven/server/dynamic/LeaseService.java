package dev.keyhaven.server.dynamic;

import dev.keyhaven.server.access.PermissionService;
import dev.keyhaven.server.access.ProjectAction;
import dev.keyhaven.server.access.ProjectSubject;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.audit.AuditEvent;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.audit.AuditLog;
import dev.keyhaven.server.platform.db.Ids;
import dev.keyhaven.server.platform.web.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Leases ({@code /api/v1/dynamic-secrets/leases}, project permission {@code dynamic-secrets}
 * {@code lease}): create one with a TTL up to the max TTL, renew it up to max TTL after its
 * creation, revoke it (or force it gone). Expiry is {@link LeaseExpiry}'s.
 */
@Service
public class LeaseService {
    /** A lease as callers see it; {@code status} is null while active, {@code FailedDeletion} after a failed revocation. */
    public record Lease(
            String id,
            int version,
            String externalEntityId,
            long expireAt,
            String status,
            String statusDetails,
            String dynamicSecretId,
            long createdAt,
            long updatedAt) {}

    /** A new lease: the lease, its configuration and the credential, shown this once. */
    public record Issued(Lease lease, DynamicSecretService.DynamicSecret dynamicSecret, Map<String, String> data) {
        @Override
        public String toString() {
            return "Issued[lease=" + lease.id() + "]";
        }
    }

    /** A lease with the configuration it came from. */
    public record Found(Lease lease, DynamicSecretService.DynamicSecret dynamicSecret) {}

    private final DynamicSecretService secrets;
    private final LeaseStore leases;
    private final DynamicSecretStore secretStore;
    private final DynamicSecretInputs inputs;
    private final Revocations revocations;
    private final PermissionService permissions;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    LeaseService(
            DynamicSecretService secrets,
            LeaseStore leases,
            DynamicSecretStore secretStore,
            DynamicSecretInputs inputs,
            Revocations revocations,
            PermissionService permissions,
            AuditLog audit,
            TransactionTemplate tx,
            Clock clock) {
        this.secrets = secrets;
        this.leases = leases;
        this.secretStore = secretStore;
        this.inputs = inputs;
        this.revocations = revocations;
        this.permissions = permissions;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    public Issued create(Actor actor, String dynamicSecretName, DynamicSecretService.Where where, String ttl) {
        Location at = secrets.locate(actor, where);
        permissions
                .project(actor, at.projectId())
                .require(ProjectSubject.DYNAMIC_SECRETS, ProjectAction.LEASE, at.resource());
        DynamicSecretStore.Row secret = secrets.find(at, dynamicSecretName);
        Duration lifetime =
                ttl == null || ttl.isBlank() ? Duration.ofSeconds(secret.defaultTtl()) : Ttl.parse("ttl", ttl);
        if (secret.maxTtl() != null && lifetime.toSeconds() > secret.maxTtl()) {
            throw ApiException.badRequest("TTL cannot be larger than max TTL");
        }
        long now = clock.millis();
        Instant expireAt = Instant.ofEpochMilli(now).plus(lifetime);
        Map<String, Object> opened = open(secret);
        DynamicSecretProvider.Lease made;
        try {
            made = secrets.provider(secret).create(opened, new DynamicSecretProvider.LeaseRequest(expireAt, null));
        } catch (DynamicSecretException e) {
            throw ApiException.badRequest("Failed to create lease: " + e.getMessage());
        }
        LeaseStore.Row row = new LeaseStore.Row(
                Ids.newId(),
                secret.id(),
                secret.projectId(),
                made.entityId(),
                expireAt.toEpochMilli(),
                1,
                null,
                null,
                0,
                expireAt.toEpochMilli(),
                null,
                null,
                now,
                now);
        try {
            tx.executeWithoutResult(s -> {
                leases.insert(row);
                audit.record(AuditEvent.of(
                        actor,
                        at.projectId(),
                        at.projectName(),
                        AuditEventType.CREATE_DYNAMIC_SECRET_LEASE,
                        meta(secret, row)));
            });
        } catch (RuntimeException e) {
            secrets.provider(secret).revoke(opened, made.entityId());
            throw e;
        }
        return new Issued(view(row), DynamicSecretService.view(secret, opened), made.data());
    }

    public Found get(Actor actor, String leaseId, DynamicSecretService.Where where) {
        Located l = locate(actor, leaseId, where);
        return new Found(view(l.lease()), DynamicSecretService.view(l.secret(), inputs.stored(l.secret())));
    }

    public List<Lease> list(Actor actor, String dynamicSecretName, DynamicSecretService.Where where) {
        Location at = secrets.locate(actor, where);
        permissions
                .project(actor, at.projectId())
                .require(ProjectSubject.DYNAMIC_SECRETS, ProjectAction.LEASE, at.resource());
        DynamicSecretStore.Row secret = secrets.find(at, dynamicSecretName);
        return leases.ofSecret(secret.id(), 1000).stream()
                .map(LeaseService::view)
                .toList();
    }

    /** Moves the expiry to now + {@code ttl} (or the default TTL), never past creation + max TTL. */
    public Lease renew(Actor actor, String leaseId, DynamicSecretService.Where where, String ttl) {
        Located l = locate(actor, leaseId, where);
        DynamicSecretStore.Row secret = l.secret();
        Duration lifetime =
                ttl == null || ttl.isBlank() ? Duration.ofSeconds(secret.defaultTtl()) : Ttl.parse("ttl", ttl);
        long now = clock.millis();
        long expireAt = now + lifetime.toMillis();
        if (secret.maxTtl() != null && expireAt > l.lease().createdAt() + secret.maxTtl() * 1000) {
            throw ApiException.badRequest("TTL cannot be larger than max TTL");
        }
        if (l.lease().status() != null) {
            throw ApiException.badRequest("The lease is being revoked and cannot be renewed");
        }
        try {
            secrets.provider(secret).renew(open(secret), l.lease().externalEntityId(), Instant.ofEpochMilli(expireAt));
        } catch (DynamicSecretException e) {
            throw ApiException.badRequest("Failed to renew lease: " + e.getMessage());
        }
        if (!leases.renew(leaseId, expireAt, now)) {
            throw ApiException.conflict("The lease is being revoked");
        }
        LeaseStore.Row after = leases.byId(leaseId).orElseThrow();
        audit.record(AuditEvent.of(
                actor,
                l.at().projectId(),
                l.at().projectName(),
                AuditEventType.RENEW_DYNAMIC_SECRET_LEASE,
                meta(secret, after)));
        return view(after);
    }

    public Lease revoke(Actor actor, String leaseId, DynamicSecretService.Where where, boolean forced) {
        Located l = locate(actor, leaseId, where);
        revocations.onRequest(actor, l.at(), l.secret(), l.lease(), forced);
        return view(l.lease());
    }

    private record Located(Location at, DynamicSecretStore.Row secret, LeaseStore.Row lease) {}

    /** A lease of the project the request names, with the lease permission there; others are 404. */
    private Located locate(Actor actor, String leaseId, DynamicSecretService.Where where) {
        Location at = secrets.locate(actor, where);
        permissions
                .project(actor, at.projectId())
                .require(ProjectSubject.DYNAMIC_SECRETS, ProjectAction.LEASE, at.resource());
        Optional<LeaseStore.Row> lease = Ids.looksLikeId(leaseId) ? leases.byId(leaseId) : Optional.empty();
        Optional<DynamicSecretStore.Row> secret = lease.filter(
                        x -> x.projectId().equals(at.projectId()))
                .flatMap(x -> secretStore.byId(x.dynamicSecretId()));
        if (secret.isEmpty()
                || !secret.get().environment().equals(at.environment())
                || !secret.get().path().equals(at.path())) {
            throw ApiException.notFound("Dynamic secret lease with ID " + leaseId + " not found");
        }
        return new Located(at, secret.get(), lease.get());
    }

    private Map<String, Object> open(DynamicSecretStore.Row secret) {
        try {
            return inputs.open(secret);
        } catch (DynamicSecretException e) {
            throw ApiException.badRequest(e.getMessage());
        }
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
        m.put("expireAt", Instant.ofEpochMilli(lease.expireAt()).toString());
        return m;
    }

    static Lease view(LeaseStore.Row r) {
        return new Lease(
                r.id(),
                r.version(),
                r.externalEntityId(),
                r.expireAt(),
                r.status(),
                r.statusDetails(),
                r.dynamicSecretId(),
                r.createdAt(),
                r.updatedAt());
    }
}
