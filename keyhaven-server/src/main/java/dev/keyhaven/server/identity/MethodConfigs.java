package dev.keyhaven.server.identity;

import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgSubject;
import dev.keyhaven.server.access.PermissionService;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.platform.db.Ids;
import dev.keyhaven.server.platform.web.ApiException;
import java.time.Clock;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The configuration lifecycle every machine auth method shares: attach, get, update and detach of
 * the one configuration an identity has for a method. Each step checks the org {@code identity}
 * permission first, loads the identity within the actor's org, and commits the change with its
 * {@code add-/update-/revoke-identity-<method>} audit row; detaching also revokes every token the
 * method issued. Attaching, updating and detaching pass the identity's permission boundary first
 * ({@link IdentityService#loadForChange}): whoever decides how an identity logs in can log in as
 * it (attaching JWT auth with one's own key is minting a credential), so only someone holding at
 * least everything the identity holds may. A method ({@link MachineAuthMethod}) supplies only
 * what is its own: how a configuration is built and shown.
 */
@Component
class MethodConfigs {
    private final IdentityService identities;
    private final AccessTokenService tokens;
    private final PermissionService permissions;
    private final AuthConfigChanges changes;
    private final Clock clock;

    MethodConfigs(
            IdentityService identities,
            AccessTokenService tokens,
            PermissionService permissions,
            AuthConfigChanges changes,
            Clock clock) {
        this.identities = identities;
        this.tokens = tokens;
        this.permissions = permissions;
        this.changes = changes;
        this.clock = clock;
    }

    <S, C extends MethodConfigStore.Stored> Map<String, Object> attach(
            Actor actor, String identityId, MachineAuthMethod<S, C> method, S settings) {
        permissions.org(actor).require(OrgSubject.IDENTITY, OrgAction.CREATE);
        Identity identity = identities.loadForChange(actor, identityId);
        if (method.store().byIdentity(identity.id()).isPresent()) {
            throw ApiException.badRequest("The identity already has " + method.label() + " auth configured");
        }
        C c = method.create(Ids.newId(), identity, settings, clock.millis());
        changes.apply(
                actor,
                method.events().attached(),
                identity.id(),
                () -> method.store().insert(c));
        return method.view(identity, c);
    }

    <C extends MethodConfigStore.Stored> Map<String, Object> get(
            Actor actor, String identityId, MachineAuthMethod<?, C> method) {
        permissions.org(actor).require(OrgSubject.IDENTITY, OrgAction.READ);
        Identity identity = identities.load(actor, identityId);
        return method.view(identity, configOf(identity, method));
    }

    <S, C extends MethodConfigStore.Stored> Map<String, Object> update(
            Actor actor, String identityId, MachineAuthMethod<S, C> method, S settings) {
        permissions.org(actor).require(OrgSubject.IDENTITY, OrgAction.EDIT);
        Identity identity = identities.loadForChange(actor, identityId);
        C updated = method.change(configOf(identity, method), identity, settings, clock.millis());
        changes.apply(
                actor,
                method.events().updated(),
                identity.id(),
                () -> method.store().update(updated));
        return method.view(identity, updated);
    }

    /**
     * Detaches the method; every token issued through it stops working on its next request, and the
     * method's own credentials (client secrets) go with its configuration.
     */
    <C extends MethodConfigStore.Stored> Map<String, Object> detach(
            Actor actor, String identityId, MachineAuthMethod<?, C> method) {
        permissions.org(actor).require(OrgSubject.IDENTITY, OrgAction.EDIT);
        Identity identity = identities.loadForChange(actor, identityId);
        C c = configOf(identity, method);
        changes.apply(actor, method.events().revoked(), identity.id(), () -> {
            tokens.revokeForMethod(identity.id(), method.name());
            method.store().delete(c.id());
        });
        return method.view(identity, c);
    }

    /**
     * The identity's configuration of the method, the identity looked up within the actor's org;
     * 404 when either is missing. No permission check: the caller has made its own.
     */
    <C extends MethodConfigStore.Stored> C load(Actor actor, String identityId, MachineAuthMethod<?, C> method) {
        return configOf(identities.load(actor, identityId), method);
    }

    /**
     * Like {@link #load}, for a change to the identity's credentials (minting, revoking, lifting a
     * lockout): the identity must also pass its permission boundary. No permission check either.
     */
    <C extends MethodConfigStore.Stored> C loadForChange(
            Actor actor, String identityId, MachineAuthMethod<?, C> method) {
        return configOf(identities.loadForChange(actor, identityId), method);
    }

    /** The update rule for a text setting: a value given is trimmed, a value left out keeps the current one. */
    static String pick(String value, String current) {
        return value != null ? value.trim() : current == null ? "" : current;
    }

    private static <C extends MethodConfigStore.Stored> C configOf(Identity identity, MachineAuthMethod<?, C> method) {
        return method.store()
                .byIdentity(identity.id())
                .orElseThrow(() -> ApiException.notFound("The identity has no " + method.label() + " auth configured"));
    }
}
