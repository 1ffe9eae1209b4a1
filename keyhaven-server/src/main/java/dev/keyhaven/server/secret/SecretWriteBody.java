package dev.keyhaven.server.secret;

import dev.keyhaven.server.platform.log.Redaction;
import java.util.List;
import java.util.Map;

/**
 * The JSON body of secret writes under v3 ({@code workspaceId}, {@code workspaceSlug} or
 * {@code projectSlug}) and v4 ({@code projectId}); batch requests carry {@code secrets} and, on
 * update, {@code mode}.
 */
record SecretWriteBody(
        String workspaceId,
        String workspaceSlug,
        String projectSlug,
        String projectId,
        String environment,
        String secretPath,
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
        List<SecretInput> secrets,
        String mode) {
    @Override
    public String toString() {
        return Redaction.toString(this);
    }

    SecretWriter.Target target() {
        String id = projectId != null ? projectId : workspaceId;
        String slug = projectSlug != null ? projectSlug : workspaceSlug;
        return new SecretWriter.Target(id, slug, environment, secretPath);
    }

    SecretInput single(String name) {
        return new SecretInput(
                name,
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
                null);
    }

    List<SecretInput> batch() {
        if (secrets == null || secrets.isEmpty()) {
            throw dev.keyhaven.server.platform.web.ValidationException.field(
                    "secrets", "Array must contain at least 1 element(s)");
        }
        if (secrets.size() > 1000) {
            throw dev.keyhaven.server.platform.web.ValidationException.field(
                    "secrets", "At most 1000 secrets per batch");
        }
        for (int i = 0; i < secrets.size(); i++) {
            if (secrets.get(i) == null) {
                throw dev.keyhaven.server.platform.web.ValidationException.invalidType(
                        "secrets." + i, "object", "null");
            }
        }
        return secrets;
    }

    SecretWriter.PatchMode patchMode() {
        if (mode == null || mode.equals("failOnNotFound")) {
            return SecretWriter.PatchMode.FAIL_ON_NOT_FOUND;
        }
        return switch (mode) {
            case "upsert" -> SecretWriter.PatchMode.UPSERT;
            case "ignore" -> SecretWriter.PatchMode.IGNORE;
            default ->
                throw dev.keyhaven.server.platform.web.ValidationException.field(
                        "mode", "Invalid enum value. Expected 'failOnNotFound' | 'upsert' | 'ignore'");
        };
    }
}
