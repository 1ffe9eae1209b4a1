package dev.keyhaven.server.outbox;

import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgSubject;
import dev.keyhaven.server.access.PermissionService;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.org.OrgService;
import dev.keyhaven.server.platform.web.Paging;
import dev.keyhaven.server.platform.web.ValidationException;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * The outbox as an operator sees it: items of one state (the dead letters, mostly), newest first,
 * and how many items each state holds. The outbox serves the whole instance, so besides the org
 * admin's permission the caller must be the instance's administrator (the account made at
 * bootstrap); and no answer ever carries a payload, which may hold a one-time token.
 */
@Service
public class OutboxQueries {
    private static final List<String> STATES = List.of(OutboxStore.PENDING, OutboxStore.DEAD, OutboxStore.DELIVERED);

    /** One item without its payload. */
    public record Entry(
            String id,
            String destination,
            String target,
            String state,
            int attempts,
            long nextAttemptAt,
            String claimedBy,
            Long claimedUntil,
            String lastError,
            long createdAt,
            long updatedAt,
            Long deliveredAt) {}

    public record Listing(List<Entry> items, long totalCount, Map<String, Long> counts) {}

    private final OutboxStore store;
    private final PermissionService permissions;
    private final OrgService orgs;

    OutboxQueries(OutboxStore store, PermissionService permissions, OrgService orgs) {
        this.store = store;
        this.permissions = permissions;
        this.orgs = orgs;
    }

    public Listing list(Actor actor, String state, Paging page) {
        permissions.org(actor).require(OrgSubject.SETTINGS, OrgAction.EDIT);
        orgs.requireInstanceAdmin(actor, "read the outbox");
        String s = state == null || state.isBlank() ? OutboxStore.DEAD : state.strip();
        if (!STATES.contains(s)) {
            throw ValidationException.field("state", "Must be one of " + String.join(", ", STATES));
        }
        List<Entry> items = store.page(s, page.offset(), page.limit()).stream()
                .map(r -> new Entry(
                        r.id(),
                        r.destination(),
                        r.target(),
                        r.state(),
                        r.attempts(),
                        r.nextAttemptAt(),
                        r.claimedBy(),
                        r.claimedUntil(),
                        r.lastError(),
                        r.createdAt(),
                        r.updatedAt(),
                        r.deliveredAt()))
                .toList();
        return new Listing(items, store.count(s), store.countsByState());
    }
}
