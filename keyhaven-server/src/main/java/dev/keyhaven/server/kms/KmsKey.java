package dev.keyhaven.server.kms;

/** A KMS key as stored: its name in the project, what it is for, its current version, and whether it is disabled. */
public record KmsKey(
        String id,
        String orgId,
        String projectId,
        String name,
        String description,
        KeyUsage usage,
        KeySpec spec,
        int version,
        boolean disabled,
        long createdAt,
        long updatedAt) {

    KmsKey withChanges(String newName, String newDescription, boolean newDisabled, int newVersion, long now) {
        return new KmsKey(
                id, orgId, projectId, newName, newDescription, usage, spec, newVersion, newDisabled, createdAt, now);
    }
}
