package dev.keyhaven.server.notify.channels;

import dev.keyhaven.server.notify.Mail;
import dev.keyhaven.server.outbox.DeliveryFailure;
import dev.keyhaven.server.platform.web.ValidationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Slack, either through an incoming webhook ({@code webhookUrl}, which carries its token in the
 * path) or as a bot ({@code botToken} and {@code channel}, posted with {@code chat.postMessage}).
 * The message is Slack's {@code text} (the fallback shown in notifications) plus blocks: a header
 * with the subject and a section with the body.
 */
@Component
class SlackChannel extends ChannelKind {
    static final String TYPE = "slack";
    private static final Set<String> FIELDS = Set.of("webhookUrl", "botToken", "channel");
    private final ChannelDelivery delivery;
    private final ObjectMapper json;

    SlackChannel(ChannelDelivery delivery, ObjectMapper json) {
        super(delivery);
        this.delivery = delivery;
        this.json = json;
    }

    @Override
    String type() {
        return TYPE;
    }

    @Override
    ChannelConfig config(Map<String, Object> raw) {
        ChannelInput.onlyFields(raw, FIELDS);
        String webhookUrl = ChannelInput.url(raw, "webhookUrl", delivery, false);
        String botToken = ChannelInput.optional(raw, "botToken", 256);
        String channel = ChannelInput.optional(raw, "channel", 80);
        if (webhookUrl != null) {
            if (botToken != null || channel != null) {
                throw ValidationException.field(
                        "config.webhookUrl", "Give either webhookUrl, or botToken and channel, not both");
            }
            return new ChannelConfig(Map.of("webhookUrl", webhookUrl));
        }
        if (botToken == null) {
            throw ValidationException.field("config", "Give either webhookUrl, or botToken and channel");
        }
        if (channel == null) {
            throw ValidationException.required("config.channel");
        }
        return new ChannelConfig(Map.of("botToken", botToken, "channel", channel));
    }

    @Override
    Map<String, Object> masked(ChannelConfig config) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (config.has("webhookUrl")) {
            m.put("mode", "webhook");
            m.put("webhookUrl", ChannelInput.maskUrl(config.get("webhookUrl")));
        } else {
            m.put("mode", "bot");
            m.put("botToken", ChannelInput.maskToken(config.get("botToken")));
            m.put("channel", config.get("channel"));
        }
        return m;
    }

    @Override
    void post(ChannelDelivery delivery, ChannelConfig config, String channelId, Mail message) throws DeliveryFailure {
        Map<String, Object> body = new LinkedHashMap<>();
        if (config.has("webhookUrl")) {
            body.putAll(message(message));
            delivery.postJson(config.get("webhookUrl"), delivery.json(body), Map.of());
            return;
        }
        body.put("channel", config.get("channel"));
        body.putAll(message(message));
        String answer = delivery.postJson(
                        delivery.slackApiUrl() + "/chat.postMessage",
                        delivery.json(body),
                        Map.of("Authorization", "Bearer " + config.get("botToken")))
                .body();
        JsonNode res;
        try {
            res = json.readTree(answer);
        } catch (RuntimeException e) {
            throw new DeliveryFailure("Slack answered something other than JSON", false, null);
        }
        if (!res.path("ok").asBoolean(false)) {
            String error = res.path("error").asString("unknown");
            String code = error.matches("[a-z_]{1,64}") ? error : "unknown";
            throw new DeliveryFailure("Slack refused the message: " + code, !code.equals("ratelimited"), null);
        }
    }

    /** Slack's message shape: {@code text} and blocks, within Slack's lengths (header 150, section 3000). */
    static Map<String, Object> message(Mail m) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", cut(m.subject(), 3000));
        body.put(
                "blocks",
                List.of(
                        Map.of("type", "header", "text", Map.of("type", "plain_text", "text", cut(m.subject(), 150))),
                        Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", cut(m.body(), 3000)))));
        return body;
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
