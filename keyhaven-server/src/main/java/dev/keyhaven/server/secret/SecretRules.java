package dev.keyhaven.server.secret;

import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.platform.web.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a secret may contain. Keys: 1 to 256 characters of letters, digits, {@code _}, {@code -}
 * and {@code .} (a key with dots cannot be referenced with {@code ${KEY}}, since dots separate
 * environment and folders there). Values: at most 1 MiB of UTF-8, trimmed with one final newline
 * kept, as Infisical stores them. Comments at most 10,000 characters; at most 100 metadata
 * entries.
 */
final class SecretRules {
    static final int MAX_VALUE_BYTES = 1024 * 1024;
    static final int MAX_COMMENT_CHARS = 10_000;
    static final int MAX_METADATA = 100;
    private static final Pattern KEY = Pattern.compile("^[A-Za-z0-9_.\\-]{1,256}$");

    private SecretRules() {}

    static String key(String field, String key) {
        if (key == null || key.isEmpty()) {
            throw ValidationException.required(field);
        }
        if (!KEY.matcher(key).matches()) {
            throw ValidationException.field(field, "Secret keys are 1 to 256 letters, digits, '_', '-' or '.'");
        }
        return key;
    }

    static String value(String field, String value) {
        if (value == null) {
            return "";
        }
        boolean finalNewline = value.endsWith("\n");
        String v = value.trim();
        if (finalNewline && !v.isEmpty()) {
            v = v + "\n";
        }
        if (v.getBytes(StandardCharsets.UTF_8).length > MAX_VALUE_BYTES) {
            throw new ApiException(
                    413, "PayloadTooLarge", field + " exceeds the limit of " + MAX_VALUE_BYTES + " bytes");
        }
        return v;
    }

    static String comment(String comment) {
        if (comment != null && comment.length() > MAX_COMMENT_CHARS) {
            throw ValidationException.field(
                    "secretComment", "String must contain at most " + MAX_COMMENT_CHARS + " character(s)");
        }
        return comment == null ? "" : comment;
    }

    static String type(String type) {
        if (type == null || type.equals(SecretRow.SHARED)) {
            return SecretRow.SHARED;
        }
        if (type.equals(SecretRow.PERSONAL)) {
            return SecretRow.PERSONAL;
        }
        throw ValidationException.field("type", "Invalid enum value. Expected 'shared' | 'personal'");
    }

    static List<SecretMetadata> metadata(List<Map<String, Object>> entries) {
        List<SecretMetadata> out = new ArrayList<>();
        if (entries == null) {
            return out;
        }
        if (entries.size() > MAX_METADATA) {
            throw ValidationException.field("secretMetadata", "At most " + MAX_METADATA + " metadata entries");
        }
        for (int i = 0; i < entries.size(); i++) {
            Map<String, Object> e = entries.get(i);
            Object k = e == null ? null : e.get("key");
            Object v = e == null ? null : e.get("value");
            Object enc = e == null ? null : e.get("isEncrypted");
            if (!(k instanceof String key) || key.isEmpty() || key.length() > 256) {
                throw ValidationException.field(
                        "secretMetadata." + i + ".key", "Required string of at most 256 characters");
            }
            if (v != null && !(v instanceof String)) {
                throw ValidationException.invalidType("secretMetadata." + i + ".value", "string", "another type");
            }
            if (enc != null && !(enc instanceof Boolean)) {
                throw ValidationException.invalidType(
                        "secretMetadata." + i + ".isEncrypted", "boolean", "another type");
            }
            out.add(new SecretMetadata(key, v == null ? "" : (String) v, Boolean.TRUE.equals(enc)));
        }
        return out;
    }

    static Integer reminderDays(Integer days) {
        if (days != null && (days < 1 || days > 365)) {
            throw ValidationException.field("secretReminderRepeatDays", "Number must be between 1 and 365");
        }
        return days;
    }

    static String reminderNote(String note) {
        if (note != null && note.length() > 1024) {
            throw ValidationException.field("secretReminderNote", "String must contain at most 1024 character(s)");
        }
        return note;
    }
}
