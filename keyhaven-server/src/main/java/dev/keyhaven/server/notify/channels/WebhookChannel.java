package dev.keyhaven.server.notify.channels;

import dev.keyhaven.server.crypto.Hmac;
import dev.keyhaven.server.notify.Mail;
import dev.keyhaven.server.outbox.DeliveryFailure;
import dev.keyhaven.server.platform.json.Iso;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * A generic webhook: the message as JSON, POSTed to {@code url} and signed with the channel's
 * {@code signingSecret}. The signature is HMAC-SHA256 over {@code timestamp + "." + body}, sent as
 * {@code X-Keyhaven-Signature: v1=<hex>} beside {@code X-Keyhaven-Timestamp} (Unix seconds), so
 * a receiver can check the sender and refuse a replay of an old request (docs/notifications.md
 * has the recipe).
 */
@Component
class WebhookChannel extends ChannelKind {
    static final String TYPE = "webhook";
    static final String TIMESTAMP_HEADER = "X-Keyhaven-Timestamp";
    static final String SIGNATURE_HEADER = "X-Keyhaven-Signature";
    private static final Set<String> FIELDS = Set.of("url", "signingSecret");
    private final ChannelDelivery delivery;
    private final Clock clock;

    WebhookChannel(ChannelDelivery delivery, Clock clock) {
        super(delivery);
        this.delivery = delivery;
        this.clock = clock;
    }

    @Override
    String type() {
        return TYPE;
    }

    @Override
    ChannelConfig config(Map<String, Object> raw) {
        ChannelInput.onlyFields(raw, FIELDS);
        String url = ChannelInput.url(raw, "url", delivery, true);
        String secret = ChannelInput.required(raw, "signingSecret", 256);
        if (secret.length() < 16) {
            throw dev.keyhaven.server.platform.web.ValidationException.field(
                    "config.signingSecret", "Must be at least 16 characters");
        }
        return new ChannelConfig(Map.of("url", url, "signingSecret", secret));
    }

    @Override
    Map<String, Object> masked(ChannelConfig config) {
        return Map.of("url", ChannelInput.maskUrl(config.get("url")), "signingSecret", "***");
    }

    @Override
    void post(ChannelDelivery delivery, ChannelConfig config, String channelId, Mail message) throws DeliveryFailure {
        long now = clock.millis();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", message.template());
        body.put("subject", message.subject());
        body.put("text", message.body());
        body.put("channelId", channelId);
        body.put("sentAt", Iso.of(now));
        String json = delivery.json(body);
        String timestamp = Long.toString(now / 1000);
        delivery.postJson(
                config.get("url"),
                json,
                Map.of(
                        TIMESTAMP_HEADER,
                        timestamp,
                        SIGNATURE_HEADER,
                        "v1=" + Hmac.sha256Hex(config.get("signingSecret"), timestamp + "." + json)));
    }
}
