package dev.keyhaven.server.notify.channels;

import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgPermission;
import dev.keyhaven.server.access.OrgSubject;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.platform.json.Iso;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/notification-channels}: create, list, read, change and delete an organization's
 * Slack, Microsoft Teams and webhook channels, and {@code POST /:channelId/test} to send one a test
 * message. Settings come back masked; a credential given here is never returned.
 */
@RestController
public class NotificationChannelController {
    private static final String BASE = "/api/v1/notification-channels";
    private final NotificationChannelService channels;

    public NotificationChannelController(NotificationChannelService channels) {
        this.channels = channels;
    }

    @PostMapping(BASE)
    @OrgPermission(subject = OrgSubject.SETTINGS, actions = OrgAction.CREATE)
    public Map<String, Object> create(Actor actor, @RequestBody NotificationChannelService.Input body) {
        return Map.of("notificationChannel", json(channels.create(actor, body)));
    }

    @GetMapping(BASE)
    @OrgPermission(subject = OrgSubject.SETTINGS, actions = OrgAction.READ)
    public Map<String, Object> list(Actor actor) {
        return Map.of(
                "notificationChannels",
                channels.list(actor).stream()
                        .map(NotificationChannelController::json)
                        .toList());
    }

    @GetMapping(BASE + "/{channelId}")
    @OrgPermission(subject = OrgSubject.SETTINGS, actions = OrgAction.READ)
    public Map<String, Object> get(Actor actor, @PathVariable String channelId) {
        return Map.of("notificationChannel", json(channels.get(actor, channelId)));
    }

    @PatchMapping(BASE + "/{channelId}")
    @OrgPermission(subject = OrgSubject.SETTINGS, actions = OrgAction.EDIT)
    public Map<String, Object> update(
            Actor actor, @PathVariable String channelId, @RequestBody NotificationChannelService.Input body) {
        return Map.of("notificationChannel", json(channels.update(actor, channelId, body)));
    }

    @DeleteMapping(BASE + "/{channelId}")
    @OrgPermission(subject = OrgSubject.SETTINGS, actions = OrgAction.DELETE)
    public Map<String, Object> delete(Actor actor, @PathVariable String channelId) {
        return Map.of("notificationChannel", json(channels.delete(actor, channelId)));
    }

    @PostMapping(BASE + "/{channelId}/test")
    @OrgPermission(subject = OrgSubject.SETTINGS, actions = OrgAction.EDIT)
    public Map<String, Object> test(Actor actor, @PathVariable String channelId) {
        NotificationChannelService.TestResult r = channels.test(actor, channelId);
        return Map.of("channelId", r.channelId(), "type", r.type(), "queued", r.queued());
    }

    private static Map<String, Object> json(NotificationChannelService.Channel c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("orgId", c.orgId());
        m.put("name", c.name());
        m.put("type", c.type());
        m.put("config", c.config());
        m.put("createdAt", Iso.of(c.createdAt()));
        m.put("updatedAt", Iso.of(c.updatedAt()));
        return m;
    }
}
