package dev.keyhaven.server.notify.channels;

import java.util.Map;

/**
 * The settings of one configured channel as its kind checked them: every field a string, some of
 * them credentials (a webhook URL carries its token in the path, a bot token, a signing secret).
 * Kept sealed at rest and never printed: {@link #toString()} names only the fields.
 */
record ChannelConfig(Map<String, String> fields) {
    ChannelConfig {
        fields = Map.copyOf(fields);
    }

    String get(String field) {
        return fields.get(field);
    }

    boolean has(String field) {
        return fields.containsKey(field);
    }

    @Override
    public String toString() {
        return "ChannelConfig" + fields.keySet();
    }
}
