package dev.keyhaven.server.secret;

import dev.keyhaven.server.platform.log.Redaction;
import java.util.List;
import java.util.Map;

/**
 * One secret in a write request (single or batch), as Infisical clients send it. Absent fields
 * on update keep their current value. {@code expectedVersion} (beyond Infisical) makes the write
 * conditional: if the secret has moved past that version, the write is refused with 409.
 */
public record SecretInput(
        String secretKey,
        String secretValue,
        String secretComment,
        Boolean skipMultilineEncoding,
        List<Map<String, Object>> secretMetadata,
        List<Map<String, Object>> metadata,
        List<String> tagIds,
        String type,
        String newSecretName,
        String secretReminderNote,
        Integer secretReminderRepeatDays,
        Integer expectedVersion,
        String secretPath) {
    @Override
    public String toString() {
        return Redaction.toString(this);
    }

    public SecretInput withKey(String key) {
        return new SecretInput(
                key,
                secretValue,
                secretComment,
                skipMultilineEncoding,
                secretMetadata,
                metadata,
                tagIds,
                type,
                newSecretName,
                secretReminderNote,
                secretReminderRepeatDays,
                expectedVersion,
                secretPath);
    }

    /** {@code secretMetadata}, or the older {@code metadata} name some clients send. */
    List<Map<String, Object>> metadataEntries() {
        return secretMetadata != null ? secretMetadata : metadata;
    }
}
