package dev.keyhaven.server.notify.channels;

import dev.keyhaven.server.notify.Mail;
import dev.keyhaven.server.outbox.DeliveryFailure;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Microsoft Teams through an incoming webhook or a Power Automate workflow URL
 * ({@code webhookUrl}, whose query carries its signature). The message is a Teams {@code message}
 * with one Adaptive Card attachment: the subject as a bold heading and the body below it.
 */
@Component
class TeamsChannel extends ChannelKind {
    static final String TYPE = "microsoft-teams";
    private static final Set<String> FIELDS = Set.of("webhookUrl");
    private final ChannelDelivery delivery;

    TeamsChannel(ChannelDelivery delivery) {
        super(delivery);
        this.delivery = delivery;
    }

    @Override
    String type() {
        return TYPE;
    }

    @Override
    ChannelConfig config(Map<String, Object> raw) {
        ChannelInput.onlyFields(raw, FIELDS);
        return new ChannelConfig(Map.of("webhookUrl", ChannelInput.url(raw, "webhookUrl", delivery, true)));
    }

    @Override
    Map<String, Object> masked(ChannelConfig config) {
        return Map.of("webhookUrl", ChannelInput.maskUrl(config.get("webhookUrl")));
    }

    @Override
    void post(ChannelDelivery delivery, ChannelConfig config, String channelId, Mail message) throws DeliveryFailure {
        delivery.postJson(config.get("webhookUrl"), delivery.json(message(message)), Map.of());
    }

    /** The Teams message carrying one Adaptive Card (schema 1.4). */
    static Map<String, Object> message(Mail m) {
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        card.put("type", "AdaptiveCard");
        card.put("version", "1.4");
        card.put(
                "body",
                List.of(
                        Map.of(
                                "type",
                                "TextBlock",
                                "text",
                                m.subject(),
                                "weight",
                                "Bolder",
                                "size",
                                "Medium",
                                "wrap",
                                true),
                        Map.of("type", "TextBlock", "text", m.body(), "wrap", true)));
        Map<String, Object> attachment = new LinkedHashMap<>();
        attachment.put("contentType", "application/vnd.microsoft.card.adaptive");
        attachment.put("content", card);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "message");
        body.put("attachments", List.of(attachment));
        return body;
    }
}
