package dev.keyhaven.server.identity;

import java.util.Map;

/**
 * One way a machine identity proves who it is (universal auth, token auth, Kubernetes, AWS, Azure,
 * GCP, OIDC, JWT, LDAP): a method is its settings {@code S}, its stored configuration {@code C},
 * its view and its login. Everything the methods share is done once, outside them: attaching,
 * reading, updating and detaching with their permission check, the identity's permission
 * boundary, the audit row and the revocation of the method's tokens ({@link MethodConfigs}); the
 * routes for those four with their permission declarations ({@link MachineAuthController}); the
 * token columns of the store ({@link TokenColumns}); and which methods a page of identities has
 * ({@link MachineAuthMethods}, where methods are found by name). Issuing tokens goes through
 * {@link AccessTokenService}, so token rules are the same for all. Adding a method is described in
 * {@code docs/development.md}; every method passes {@code MachineAuthMethodContractTest}.
 */
public interface MachineAuthMethod<S, C extends MethodConfigStore.Stored> {
    /** The method's name in routes and token rows, e.g. {@code universal-auth}. */
    String name();

    /** The audit event types its attach, update and detach are recorded as. */
    AuthMethodEvents events();

    /** How messages call the method: {@code "The identity has no <label> auth configured"}. */
    String label();

    /** Where the method keeps the one configuration an identity may have for it. */
    MethodConfigStore<C> store();

    /** Builds a new configuration from attach settings; throws ValidationException on bad settings. */
    C create(String id, Identity identity, S settings, long now);

    /** Rebuilds a configuration from update settings, keeping what the settings leave out. */
    C change(C current, Identity identity, S settings, long now);

    /** The configuration as Infisical shows it; never carries a credential of the method. */
    Map<String, Object> view(Identity identity, C config);
}
