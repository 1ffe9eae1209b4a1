package dev.keyhaven.server.org;

import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.crypto.Keyring;
import dev.keyhaven.server.platform.db.Ids;
import dev.keyhaven.server.platform.text.Slugs;
import dev.keyhaven.server.platform.web.ApiException;
import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Organizations, the people in them and org-level role assignments. Creating an organization
 * also creates its encryption key, in the caller's transaction.
 */
@Service
public class OrgService {
    private final OrgStore store;
    private final Keyring keyring;
    private final Clock clock;

    public OrgService(OrgStore store, Keyring keyring, Clock clock) {
        this.store = store;
        this.keyring = keyring;
        this.clock = clock;
    }

    public Organization createOrganization(String name) {
        long now = clock.millis();
        Organization org = new Organization(Ids.newId(), name, uniqueSlug(name), now, now);
        store.insertOrg(org);
        keyring.createOrgKey(org.id());
        return org;
    }

    public Organization get(String orgId) {
        return store.findOrg(orgId).orElseThrow(() -> ApiException.notFound("Organization not found"));
    }

    public boolean hasUsers() {
        return store.countUsers() > 0;
    }

    public User createUser(String email, String passwordHash, boolean superAdmin) {
        long now = clock.millis();
        User user = new User(Ids.newId(), email, email, null, null, superAdmin, now, now);
        store.insertUser(user, passwordHash);
        return user;
    }

    public Optional<User> findUser(String id) {
        return store.findUser(id);
    }

    /**
     * Refuses (403) anyone but the instance's administrator (the account made at bootstrap), for
     * routes that concern the whole instance rather than one organization; {@code what} ends the
     * message ("Only the instance administrator may ...").
     */
    public void requireInstanceAdmin(Actor actor, String what) {
        boolean instanceAdmin =
                actor.isUser() && findUser(actor.id()).map(User::superAdmin).orElse(false);
        if (!instanceAdmin) {
            throw ApiException.forbidden("Only the instance administrator may " + what);
        }
    }

    public void addMember(String orgId, String actorType, String actorId, String role) {
        store.insertMembership(Ids.newId(), orgId, actorType, actorId, role, clock.millis());
    }

    /** The actor's org role while its membership is active; empty when it has none. */
    public Optional<String> activeRole(String orgId, String actorType, String actorId) {
        return store.activeRole(orgId, actorType, actorId);
    }

    /** The active org roles of {@code actorIds} (a page's worth), read in one query. */
    public ActiveRoles activeRoles(String orgId, String actorType, Collection<String> actorIds) {
        return new ActiveRoles(store.activeRoles(orgId, actorType, actorIds));
    }

    /** Active org roles by actor id; an actor without an active membership has none. */
    public record ActiveRoles(Map<String, String> byActorId) {
        public Optional<String> of(String actorId) {
            return Optional.ofNullable(byActorId.get(actorId));
        }
    }

    public void removeMember(String orgId, String actorType, String actorId) {
        store.deleteMembership(orgId, actorType, actorId);
    }

    public void changeRole(String orgId, String actorType, String actorId, String role) {
        store.updateRole(orgId, actorType, actorId, role, clock.millis());
    }

    private String uniqueSlug(String name) {
        String base = Slugs.slugify(name);
        String slug = base;
        int n = 1;
        while (store.slugTaken(slug)) {
            slug = base + "-" + (++n);
        }
        return slug;
    }
}
