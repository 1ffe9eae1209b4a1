package dev.keyhaven.server.secret;

import dev.keyhaven.server.platform.json.Iso;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The secret object exactly as Infisical clients read it: {@code id} and {@code _id}, the project
 * as {@code workspace}, the environment slug, and a masked value with {@code secretValueHidden}
 * when the caller may describe but not read it.
 */
final class SecretJson {
    static final String HIDDEN = "<hidden-by-infisical>";

    private SecretJson() {}

    static Map<String, Object> of(SecretRow s, String envSlug, String secretPath, String value, boolean hidden, String comment,
            List<SecretMetadata> metadata, List<Tag> tags, boolean timestamps) {
        Map<String, Object> m = new LinkedHashMap<>(32);
        m.put("id", s.id());
        m.put("_id", s.id());
        m.put("workspace", s.projectId());
        m.put("environment", envSlug);
        m.put("version", s.version());
        m.put("type", s.type());
        m.put("secretKey", s.key());
        m.put("secretValue", hidden ? HIDDEN : value);
        m.put("secretComment", comment);
        m.put("secretReminderNote", s.reminderNote());
        m.put("secretReminderRepeatDays", s.reminderRepeatDays());
        m.put("skipMultilineEncoding", s.skipMultiline());
        if (timestamps) {
            m.put("createdAt", Iso.of(s.createdAt()));
            m.put("updatedAt", Iso.of(s.updatedAt()));
        }
        m.put("actor", null);
        m.put("secretPath", secretPath);
        m.put("secretValueHidden", hidden);
        m.put("secretMetadata", metadata.isEmpty() ? List.of() : metadata.stream().map(e -> metadataJson(e, hidden)).toList());
        m.put("tags", tags.isEmpty() ? List.of() : tags.stream().map(Tag::toSecretJson).toList());
        return m;
    }

    private static Map<String, Object> metadataJson(SecretMetadata e, boolean hidden) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", e.key());
        m.put("value", e.isEncrypted() && hidden ? HIDDEN : e.value());
        m.put("isEncrypted", e.isEncrypted());
        return m;
    }
}
