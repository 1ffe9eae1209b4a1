package dev.keyhaven.server.notify.channels;

import dev.keyhaven.server.outbox.DeliveryFailure;
import dev.keyhaven.server.platform.outbound.OutboundHttp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * What every channel kind needs at delivery time: its settings, opened from the table, and one
 * JSON POST through {@link OutboundHttp} (the outbound allow-list, no redirects) with a short
 * timeout ({@code KEYHAVEN_NOTIFICATIONS_TIMEOUT}), so a receiver that hangs costs one attempt
 * and is retried by the outbox later. Answers are sorted once here: 2xx delivered; 408, 429 and
 * 5xx retried; any other 4xx, a deleted channel or a message that cannot be built dead at once.
 * Failure reasons name the status or the cause, never the URL's path or a header.
 */
@Component
class ChannelDelivery {
    private final NotificationChannelStore store;
    private final ChannelSeal seal;
    private final OutboundHttp http;
    private final ObjectMapper json;
    private final Duration timeout;
    private final String slackApiUrl;

    ChannelDelivery(
            NotificationChannelStore store,
            ChannelSeal seal,
            OutboundHttp http,
            ObjectMapper json,
            NotificationProperties properties) {
        this.store = store;
        this.seal = seal;
        this.http = http;
        this.json = json;
        this.timeout = properties.timeout();
        this.slackApiUrl = properties.slackApiUrl();
    }

    /** The settings of the channel a queued message names; a channel gone since is a permanent failure. */
    ChannelConfig config(String channelId, String type) throws DeliveryFailure {
        NotificationChannelStore.Row row = store.byId(channelId)
                .filter(r -> r.type().equals(type))
                .orElseThrow(() -> new DeliveryFailure("the notification channel no longer exists", true, null));
        try {
            return seal.open(row);
        } catch (RuntimeException e) {
            throw new DeliveryFailure(
                    "the channel's settings cannot be opened: " + e.getClass().getSimpleName(), true, null);
        }
    }

    /** Slack's Web API base ({@code chat.postMessage} is posted under it). */
    String slackApiUrl() {
        return slackApiUrl;
    }

    /** Refuses a URL the outbound allow-list does not let this server call; the message is safe to show. */
    void checkUrl(String url) {
        http.checkUrl(url);
    }

    String json(Object body) {
        return json.writeValueAsString(body);
    }

    /** POSTs a JSON body with extra headers; returns the answer when it is a 2xx. */
    OutboundHttp.Response postJson(String url, String body, Map<String, String> headers) throws DeliveryFailure {
        List<Map.Entry<String, String>> all = new ArrayList<>();
        all.add(Map.entry("Content-Type", "application/json; charset=utf-8"));
        all.add(Map.entry("User-Agent", "Keyhaven-Notifications"));
        all.addAll(headers.entrySet());
        OutboundHttp.Response res;
        try {
            res = http.post(url, all, body.getBytes(StandardCharsets.UTF_8), null, timeout);
        } catch (OutboundHttp.OutboundException e) {
            throw new DeliveryFailure("the receiver could not be reached: " + e.getMessage(), false, null);
        }
        int s = res.status();
        if (s >= 200 && s < 300) {
            return res;
        }
        boolean retry = s == 408 || s == 429 || s >= 500;
        throw new DeliveryFailure("the receiver answered " + s, !retry, null);
    }
}
