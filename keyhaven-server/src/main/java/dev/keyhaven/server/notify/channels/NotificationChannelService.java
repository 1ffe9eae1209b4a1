package dev.keyhaven.server.notify.channels;

import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgSubject;
import dev.keyhaven.server.access.PermissionService;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.audit.AuditEvent;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.audit.AuditLog;
import dev.keyhaven.server.notify.Mail;
import dev.keyhaven.server.notify.Notifications;
import dev.keyhaven.server.platform.db.Ids;
import dev.keyhaven.server.platform.plugin.Plugins;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.platform.web.ValidationException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The notification channels of an organization (org subject {@code settings}): Slack, Microsoft
 * Teams and signed webhooks an administrator configures once and features (approval policies)
 * later send to by id through {@link #notify}. Settings are checked by their kind, sealed with the
 * org key and only ever shown masked; a message is queued in the outbox in the caller's
 * transaction and leaves on a dispatcher thread, so a slow receiver never holds up a request.
 */
@Service
public class NotificationChannelService {
    /** A configured channel as callers see it: {@code config} is masked, never a credential. */
    public record Channel(
            String id,
            String orgId,
            String name,
            String type,
            Map<String, Object> config,
            long createdAt,
            long updatedAt) {}

    /** What an administrator sends to create or change a channel; {@code config} holds credentials. */
    public record Input(String name, String type, Map<String, Object> config) {
        @Override
        public String toString() {
            return "Input[name=" + name + ", type=" + type + ", config=" + (config == null ? null : config.keySet())
                    + "]";
        }
    }

    /** A test message was queued for the channel. */
    public record TestResult(String channelId, String type, boolean queued) {}

    private final NotificationChannelStore store;
    private final ChannelSeal seal;
    private final Plugins<ChannelKind> kinds;
    private final Notifications notifications;
    private final PermissionService permissions;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    NotificationChannelService(
            NotificationChannelStore store,
            ChannelSeal seal,
            List<ChannelKind> kinds,
            Notifications notifications,
            PermissionService permissions,
            AuditLog audit,
            TransactionTemplate tx,
            Clock clock) {
        this.store = store;
        this.seal = seal;
        this.kinds = Plugins.of("notification channel kind", kinds, ChannelKind::type);
        this.notifications = notifications;
        this.permissions = permissions;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    public Channel create(Actor actor, Input input) {
        permissions.org(actor).require(OrgSubject.SETTINGS, OrgAction.CREATE);
        String name = name(input.name());
        ChannelKind kind = kinds.find(input.type())
                .orElseThrow(() -> ValidationException.field("type", "Expected one of " + kinds.names()));
        ChannelConfig config = kind.config(configOf(input));
        String id = Ids.newId();
        long now = clock.millis();
        NotificationChannelStore.Row row = new NotificationChannelStore.Row(
                id, actor.orgId(), name, kind.type(), seal.seal(actor.orgId(), id, config), now, now);
        tx.executeWithoutResult(s -> {
            if (store.byName(actor.orgId(), name).isPresent()) {
                throw ApiException.conflict("A notification channel named \"" + name + "\" already exists");
            }
            store.insert(row);
            record(actor, AuditEventType.CREATE_NOTIFICATION_CHANNEL, row);
        });
        return view(row, kind, config);
    }

    public List<Channel> list(Actor actor) {
        permissions.org(actor).require(OrgSubject.SETTINGS, OrgAction.READ);
        return store.list(actor.orgId()).stream().map(this::view).toList();
    }

    public Channel get(Actor actor, String channelId) {
        permissions.org(actor).require(OrgSubject.SETTINGS, OrgAction.READ);
        return view(find(actor.orgId(), channelId));
    }

    /** Changes the name and/or replaces the settings (given whole, as on create); the type stays. */
    public Channel update(Actor actor, String channelId, Input input) {
        permissions.org(actor).require(OrgSubject.SETTINGS, OrgAction.EDIT);
        NotificationChannelStore.Row current = find(actor.orgId(), channelId);
        if (input.type() != null && !input.type().equals(current.type())) {
            throw ValidationException.field("type", "The type of a channel cannot be changed");
        }
        ChannelKind kind = kind(current);
        String name = input.name() == null ? current.name() : name(input.name());
        ChannelConfig config = input.config() == null ? seal.open(current) : kind.config(input.config());
        NotificationChannelStore.Row row = new NotificationChannelStore.Row(
                current.id(),
                current.orgId(),
                name,
                current.type(),
                input.config() == null ? current.sealedConfig() : seal.seal(current.orgId(), current.id(), config),
                current.createdAt(),
                Math.max(clock.millis(), current.updatedAt() + 1));
        tx.executeWithoutResult(s -> {
            if (!name.equals(current.name())
                    && store.byName(actor.orgId(), name).isPresent()) {
                throw ApiException.conflict("A notification channel named \"" + name + "\" already exists");
            }
            store.update(row);
            record(actor, AuditEventType.UPDATE_NOTIFICATION_CHANNEL, row);
        });
        return view(row, kind, config);
    }

    public Channel delete(Actor actor, String channelId) {
        permissions.org(actor).require(OrgSubject.SETTINGS, OrgAction.DELETE);
        NotificationChannelStore.Row current = find(actor.orgId(), channelId);
        Channel view = view(current);
        tx.executeWithoutResult(s -> {
            store.delete(current.id());
            record(actor, AuditEventType.DELETE_NOTIFICATION_CHANNEL, current);
        });
        return view;
    }

    /** Queues a test message for the channel, so an administrator can see that it arrives. */
    public TestResult test(Actor actor, String channelId) {
        permissions.org(actor).require(OrgSubject.SETTINGS, OrgAction.EDIT);
        NotificationChannelStore.Row row = find(actor.orgId(), channelId);
        String who = actor.isUser() && actor.email() != null ? actor.email() : "machine identity " + actor.id();
        Mail message = new Mail(
                "notification-channel-test",
                "Keyhaven test notification",
                "This is a test message for the notification channel \"" + row.name() + "\", sent by " + who
                        + ". If you can read it, the channel works.");
        boolean queued = Boolean.TRUE.equals(tx.execute(s -> {
            boolean q = notifications.send(kind(row).name(), row.id(), message);
            record(actor, AuditEventType.TEST_NOTIFICATION_CHANNEL, row);
            return q;
        }));
        return new TestResult(row.id(), row.type(), queued);
    }

    /**
     * Queues {@code message} for a channel of {@code orgId}, in the caller's transaction: for
     * features (approval policies) that chose the channel earlier. False, with nothing queued, when
     * the channel no longer exists. The message must hold names, paths, people and links only,
     * never a secret value: it leaves the server.
     */
    public boolean notify(String orgId, String channelId, Mail message) {
        Optional<NotificationChannelStore.Row> row =
                Ids.looksLikeId(channelId) ? store.byId(channelId) : Optional.empty();
        if (row.isEmpty() || !row.get().orgId().equals(orgId)) {
            return false;
        }
        return notifications.send(kind(row.get()).name(), channelId, message);
    }

    private void record(Actor actor, AuditEventType type, NotificationChannelStore.Row row) {
        audit.record(AuditEvent.of(
                actor, null, null, type, Map.of("channelId", row.id(), "name", row.name(), "type", row.type())));
    }

    /** A channel of the org; absent and foreign look the same (404). */
    private NotificationChannelStore.Row find(String orgId, String channelId) {
        return (Ids.looksLikeId(channelId) ? store.byId(channelId) : Optional.<NotificationChannelStore.Row>empty())
                .filter(r -> r.orgId().equals(orgId))
                .orElseThrow(() -> ApiException.notFound("Could not find notification channel with ID " + channelId));
    }

    private ChannelKind kind(NotificationChannelStore.Row row) {
        return kinds.find(row.type())
                .orElseThrow(() -> new IllegalStateException("no notification channel kind " + row.type()));
    }

    private Channel view(NotificationChannelStore.Row row) {
        return view(row, kind(row), seal.open(row));
    }

    private static Channel view(NotificationChannelStore.Row row, ChannelKind kind, ChannelConfig config) {
        return new Channel(
                row.id(), row.orgId(), row.name(), row.type(), kind.masked(config), row.createdAt(), row.updatedAt());
    }

    private static Map<String, Object> configOf(Input input) {
        if (input.config() == null) {
            throw ValidationException.required("config");
        }
        return input.config();
    }

    private static String name(String raw) {
        if (raw == null) {
            throw ValidationException.required("name");
        }
        String n = raw.strip();
        if (n.isEmpty() || n.length() > 64) {
            throw ValidationException.field("name", "Must be between 1 and 64 characters");
        }
        return n;
    }
}
