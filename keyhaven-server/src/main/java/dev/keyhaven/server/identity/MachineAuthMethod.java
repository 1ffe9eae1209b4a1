package dev.keyhaven.server.identity;

/**
 * One way a machine identity proves who it is (universal auth, token auth; Kubernetes, AWS,
 * OIDC and the others follow the same shape). Each method owns its configuration per identity
 * and issues tokens through {@link AccessTokenService}, so token rules are the same for all.
 */
public interface MachineAuthMethod {
    /** The method's name in routes and token rows, e.g. {@code universal-auth}. */
    String name();

    /** True when the identity has this method configured. */
    boolean isAttached(String identityId);
}
