package dev.keyhaven.server.outbox;

import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgPermission;
import dev.keyhaven.server.access.OrgSubject;
import dev.keyhaven.server.access.PeopleOnly;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.platform.json.Iso;
import dev.keyhaven.server.platform.web.Paging;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/admin/outbox?state=dead&offset=0&limit=20}: the outbox's items of one state
 * ({@code dead} by default, or {@code pending}, {@code delivered}) with the count per state, for the
 * instance administrator. Metadata only: an item's payload never leaves the server this way.
 */
@RestController
public class OutboxController {
    private final OutboxQueries outbox;

    public OutboxController(OutboxQueries outbox) {
        this.outbox = outbox;
    }

    @GetMapping("/api/v1/admin/outbox")
    @OrgPermission(subject = OrgSubject.SETTINGS, actions = OrgAction.EDIT)
    @PeopleOnly
    public Map<String, Object> list(
            Actor actor,
            @RequestParam(required = false) String state,
            @RequestParam(required = false) String offset,
            @RequestParam(required = false) String limit) {
        OutboxQueries.Listing listing = outbox.list(actor, state, Paging.of(offset, limit, 20, 100));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", listing.items().stream().map(OutboxController::json).toList());
        out.put("totalCount", listing.totalCount());
        out.put("counts", listing.counts());
        return out;
    }

    private static Map<String, Object> json(OutboxQueries.Entry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("destination", e.destination());
        m.put("target", e.target());
        m.put("state", e.state());
        m.put("attempts", e.attempts());
        m.put("nextAttemptAt", Iso.of(e.nextAttemptAt()));
        m.put("claimedBy", e.claimedBy());
        m.put("claimedUntil", Iso.ofNullable(e.claimedUntil()));
        m.put("lastError", e.lastError());
        m.put("createdAt", Iso.of(e.createdAt()));
        m.put("updatedAt", Iso.of(e.updatedAt()));
        m.put("deliveredAt", Iso.ofNullable(e.deliveredAt()));
        return m;
    }
}
