package dev.keyhaven.server.dynamic;

import java.time.Instant;
import java.util.Map;

/**
 * One kind of system that issues short-lived credentials on demand (a PostgreSQL or MariaDB role,
 * a Redis ACL user, an AWS IAM user…), in the manner of Vault's database plug-ins and Infisical's
 * dynamic-secret providers. The platform owns everything around it — the configuration's storage
 * and encryption, permissions ({@code dynamic-secrets}: the root-credential actions and
 * {@code lease}), TTL and max-TTL arithmetic, the lease table, expiry jobs, retries and audit — so
 * a provider only talks to its system.
 *
 * <p>A provider is a Spring bean; {@link DynamicSecretProviders} finds it by {@link #type()}, the
 * {@code type} clients send. Inputs reach it already decrypted and leave it only to be sealed;
 * a provider never logs them. Methods throw {@link DynamicSecretException} with a message fit for
 * the API caller (never one that echoes a credential).
 */
public interface DynamicSecretProvider {
    /** The type in the API, e.g. {@code sql-database} or {@code redis}. */
    String type();

    /**
     * Checks a configuration's inputs and returns them normalised (defaults filled, templates
     * parsed), ready to be sealed and stored; refuses what can never work.
     */
    Map<String, Object> validate(Map<String, Object> inputs);

    /** Connects with the inputs' root credential and reports whether the system answers as expected. */
    void testConnection(Map<String, Object> inputs);

    /**
     * Creates a credential that the system itself expires at {@code expiresAt} where it can; the
     * returned entity id names it for renewal and revocation.
     */
    Lease create(Map<String, Object> inputs, LeaseRequest request);

    /** Moves the credential's expiry to {@code expiresAt} (where the system keeps one). */
    void renew(Map<String, Object> inputs, String entityId, Instant expiresAt);

    /** Removes the credential; removing one that is already gone succeeds. */
    void revoke(Map<String, Object> inputs, String entityId);

    /** What a lease asks for: its expiry and, where the configuration allows one, a username template. */
    record LeaseRequest(Instant expiresAt, String usernameTemplate) {}

    /**
     * A credential just made: the id the provider needs to renew or revoke it, and the values shown
     * to the caller once (for a database: {@code DB_USERNAME}, {@code DB_PASSWORD}).
     */
    record Lease(String entityId, Map<String, String> data) {
        @Override
        public String toString() {
            return "Lease[entityId=" + entityId + ", data=<" + data.size() + " values hidden>]";
        }
    }
}
