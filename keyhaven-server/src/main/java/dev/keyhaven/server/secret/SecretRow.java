package dev.keyhaven.server.secret;

/**
 * A secret as stored: current version, sealed value and comment, metadata JSON (encrypted entries
 * sealed). {@code ownerId} is empty for shared secrets and the user's id for personal overrides.
 */
record SecretRow(
        String id,
        String projectId,
        String envId,
        String folderId,
        String key,
        String type,
        String ownerId,
        int version,
        String valueCt,
        String commentCt,
        String metadataJson,
        boolean skipMultiline,
        String reminderNote,
        Integer reminderRepeatDays,
        long createdAt,
        long updatedAt) {

    static final String SHARED = "shared";
    static final String PERSONAL = "personal";

    SecretRow withVersion(
            int newVersion,
            String newKey,
            String newValueCt,
            String newCommentCt,
            String newMetadata,
            boolean newSkip,
            String newReminderNote,
            Integer newReminderDays,
            long now) {
        return new SecretRow(
                id,
                projectId,
                envId,
                folderId,
                newKey,
                type,
                ownerId,
                newVersion,
                newValueCt,
                newCommentCt,
                newMetadata,
                newSkip,
                newReminderNote,
                newReminderDays,
                createdAt,
                now);
    }
}
