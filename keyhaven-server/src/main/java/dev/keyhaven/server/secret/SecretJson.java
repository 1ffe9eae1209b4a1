package dev.keyhaven.server.secret;

import dev.keyhaven.server.platform.json.Iso;
import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * The secret object exactly as Infisical clients read it: {@code id} and {@code _id}, the project
 * as {@code workspace}, the environment slug, and a masked value with {@code secretValueHidden}
 * when the caller may describe but not read it.
 *
 * <p>A read map over the row, not a copy of it: a listing holds one per secret, and the JSON
 * writer streams the fields straight from the row instead of walking a freshly built map. The
 * map view (built on first use) has the same keys, order and values as the JSON.
 */
@JsonSerialize(using = SecretJson.Writer.class)
final class SecretJson extends AbstractMap<String, Object> {
    static final String HIDDEN = "<hidden-by-infisical>";

    private final SecretRow s;
    private final String envSlug;
    private final String secretPath;
    private final String value;
    private final boolean hidden;
    private final String comment;
    private final String reminderNote;
    private final List<SecretMetadata> metadata;
    private final List<Tag> tags;
    private final boolean timestamps;
    private Map<String, Object> view;

    private SecretJson(
            SecretRow s,
            String envSlug,
            String secretPath,
            String value,
            boolean hidden,
            String comment,
            String reminderNote,
            List<SecretMetadata> metadata,
            List<Tag> tags,
            boolean timestamps) {
        this.s = s;
        this.envSlug = envSlug;
        this.secretPath = secretPath;
        this.value = value;
        this.hidden = hidden;
        this.comment = comment;
        this.reminderNote = reminderNote;
        this.metadata = metadata;
        this.tags = tags;
        this.timestamps = timestamps;
    }

    /** {@code comment} and {@code reminderNote} opened (the row holds them sealed). */
    static Map<String, Object> of(
            SecretRow s,
            String envSlug,
            String secretPath,
            String value,
            boolean hidden,
            String comment,
            String reminderNote,
            List<SecretMetadata> metadata,
            List<Tag> tags,
            boolean timestamps) {
        return new SecretJson(s, envSlug, secretPath, value, hidden, comment, reminderNote, metadata, tags, timestamps);
    }

    String secretKey() {
        return s.key();
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return view().entrySet();
    }

    @Override
    public Object get(Object key) {
        return view().get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return view().containsKey(key);
    }

    private Map<String, Object> view() {
        if (view == null) {
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
            m.put("secretReminderNote", reminderNote);
            m.put("secretReminderRepeatDays", s.reminderRepeatDays());
            m.put("skipMultilineEncoding", s.skipMultiline());
            if (timestamps) {
                m.put("createdAt", Iso.of(s.createdAt()));
                m.put("updatedAt", Iso.of(s.updatedAt()));
            }
            m.put("actor", null);
            m.put("secretPath", secretPath);
            m.put("secretValueHidden", hidden);
            m.put(
                    "secretMetadata",
                    metadata.isEmpty()
                            ? List.of()
                            : metadata.stream().map(this::metadataJson).toList());
            m.put(
                    "tags",
                    tags.isEmpty()
                            ? List.of()
                            : tags.stream().map(Tag::toSecretJson).toList());
            view = m;
        }
        return view;
    }

    private Map<String, Object> metadataJson(SecretMetadata e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", e.key());
        m.put("value", metadataValue(e));
        m.put("isEncrypted", e.isEncrypted());
        return m;
    }

    private String metadataValue(SecretMetadata e) {
        return e.isEncrypted() && hidden ? HIDDEN : e.value();
    }

    /** Writes the same fields in the same order as the map view, without building it. */
    static final class Writer extends ValueSerializer<SecretJson> {
        @Override
        public void serialize(SecretJson j, JsonGenerator gen, SerializationContext ctxt) {
            SecretRow s = j.s;
            gen.writeStartObject(j);
            gen.writeStringProperty("id", s.id());
            gen.writeStringProperty("_id", s.id());
            gen.writeStringProperty("workspace", s.projectId());
            gen.writeStringProperty("environment", j.envSlug);
            gen.writeNumberProperty("version", s.version());
            gen.writeStringProperty("type", s.type());
            gen.writeStringProperty("secretKey", s.key());
            gen.writeStringProperty("secretValue", j.hidden ? HIDDEN : j.value);
            gen.writeStringProperty("secretComment", j.comment);
            gen.writeStringProperty("secretReminderNote", j.reminderNote);
            if (s.reminderRepeatDays() == null) {
                gen.writeNullProperty("secretReminderRepeatDays");
            } else {
                gen.writeNumberProperty(
                        "secretReminderRepeatDays", s.reminderRepeatDays().intValue());
            }
            gen.writeBooleanProperty("skipMultilineEncoding", s.skipMultiline());
            if (j.timestamps) {
                gen.writeStringProperty("createdAt", Iso.of(s.createdAt()));
                gen.writeStringProperty("updatedAt", Iso.of(s.updatedAt()));
            }
            gen.writeNullProperty("actor");
            gen.writeStringProperty("secretPath", j.secretPath);
            gen.writeBooleanProperty("secretValueHidden", j.hidden);
            gen.writeName("secretMetadata");
            gen.writeStartArray();
            for (SecretMetadata e : j.metadata) {
                gen.writeStartObject();
                gen.writeStringProperty("key", e.key());
                gen.writeStringProperty("value", j.metadataValue(e));
                gen.writeBooleanProperty("isEncrypted", e.isEncrypted());
                gen.writeEndObject();
            }
            gen.writeEndArray();
            gen.writeName("tags");
            gen.writeStartArray();
            for (Tag t : j.tags) {
                gen.writeStartObject();
                gen.writeStringProperty("id", t.id());
                gen.writeStringProperty("slug", t.slug());
                gen.writeStringProperty("color", t.color());
                gen.writeStringProperty("name", t.name());
                gen.writeEndObject();
            }
            gen.writeEndArray();
            gen.writeEndObject();
        }
    }
}
