package dev.keyhaven.server.notify.channels;

import dev.keyhaven.server.crypto.Keyring;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Seals a channel's settings with its organization's key, bound to the channel's id, so a sealed
 * value copied onto another row (or another org) does not open.
 */
@Component
class ChannelSeal {
    private static final TypeReference<Map<String, String>> FIELDS = new TypeReference<>() {};
    private final Keyring keyring;
    private final ObjectMapper json;

    ChannelSeal(Keyring keyring, ObjectMapper json) {
        this.keyring = keyring;
        this.json = json;
    }

    String seal(String orgId, String channelId, ChannelConfig config) {
        return keyring.sealForOrg(orgId, purpose(channelId), json.writeValueAsString(config.fields()));
    }

    ChannelConfig open(NotificationChannelStore.Row row) {
        return new ChannelConfig(
                json.readValue(keyring.openForOrg(row.orgId(), purpose(row.id()), row.sealedConfig()), FIELDS));
    }

    private static String purpose(String channelId) {
        return "notification-channel:" + channelId + ":config";
    }
}
