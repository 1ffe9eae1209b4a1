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
 * least everything the identity holds may. A method supplies only what is its own: how a
 * configuration is built and shown.
 */
@Component
class MethodConfigs {
    /**
     * One method as the lifecycle sees it: its name ({@code jwt-auth}), how messages call it
     * ({@code JWT}), its store and its response view.
     */
    record Kind<C extends MethodConfigStore.Stored>(
            String name, String label, MethodConfigStore<C> store, View<C> view) {}

    /** The JSON shape of a configuration; some methods show details of the identity too. */
    interface View<C> {
        Map<String, Object> of(Identity identity, C config);
    }

    /** Builds a new configuration from the request; throws ValidationException on bad settings. */
    interface Create<C> {
        C create(String id, Identity identity, long now);
    }

    /** Rebuilds a configuration from the request, keeping what the request leaves out. */
    interface Change<C> {
        C change(C current, Identity identity, long now);
    }

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

    <C extends MethodConfigStore.Stored> Map<String, Object> attach(
            Actor actor, String identityId, Kind<C> kind, Create<C> create) {
        permissions.org(actor).require(OrgSubject.IDENTITY, OrgAction.CREATE);
        Identity identity = identities.loadForChange(actor, identityId);
        if (kind.store().byIdentity(identity.id()).isPresent()) {
            throw ApiException.badRequest("The identity already has " + kind.label() + " auth configured");
        }
        C c = create.create(Ids.newId(), identity, clock.millis());
        changes.apply(
                actor,
                "add-identity-" + kind.name(),
                identity.id(),
                () -> kind.store().insert(c));
        return kind.view().of(identity, c);
    }

    <C extends MethodConfigStore.Stored> Map<String, Object> get(Actor actor, String identityId, Kind<C> kind) {
        permissions.org(actor).require(OrgSubject.IDENTITY, OrgAction.READ);
        Identity identity = identities.load(actor, identityId);
        return kind.view().of(identity, configOf(identity, kind));
    }

    <C extends MethodConfigStore.Stored> Map<String, Object> update(
            Actor actor, String identityId, Kind<C> kind, Change<C> change) {
        permissions.org(actor).require(OrgSubject.IDENTITY, OrgAction.EDIT);
        Identity identity = identities.loadForChange(actor, identityId);
        C updated = change.change(configOf(identity, kind), identity, clock.millis());
        changes.apply(
                actor,
                "update-identity-" + kind.name(),
                identity.id(),
                () -> kind.store().update(updated));
        return kind.view().of(identity, updated);
    }

    /** Detaches the method; every token issued through it stops working on its next request. */
    <C extends MethodConfigStore.Stored> Map<String, Object> detach(Actor actor, String identityId, Kind<C> kind) {
        permissions.org(actor).require(OrgSubject.IDENTITY, OrgAction.EDIT);
        Identity identity = identities.loadForChange(actor, identityId);
        C c = configOf(identity, kind);
        changes.apply(actor, "revoke-identity-" + kind.name(), identity.id(), () -> {
            tokens.revokeForMethod(identity.id(), kind.name());
            kind.store().delete(c.id());
        });
        return kind.view().of(identity, c);
    }

    /**
     * The identity's configuration of the method, the identity looked up within the actor's org;
     * 404 when either is missing. No permission check: the caller has made its own.
     */
    <C extends MethodConfigStore.Stored> C load(Actor actor, String identityId, Kind<C> kind) {
        return configOf(identities.load(actor, identityId), kind);
    }

    /**
     * Like {@link #load}, for a change to the identity's credentials (minting, revoking, lifting a
     * lockout): the identity must also pass its permission boundary. No permission check either.
     */
    <C extends MethodConfigStore.Stored> C loadForChange(Actor actor, String identityId, Kind<C> kind) {
        return configOf(identities.loadForChange(actor, identityId), kind);
    }

    /** The update rule for a text setting: a value given is trimmed, a value left out keeps the current one. */
    static String pick(String value, String current) {
        return value != null ? value.trim() : current == null ? "" : current;
    }

    private static <C extends MethodConfigStore.Stored> C configOf(Identity identity, Kind<C> kind) {
        return kind.store()
                .byIdentity(identity.id())
                .orElseThrow(() -> ApiException.notFound("The identity has no " + kind.label() + " auth configured"));
    }
}
