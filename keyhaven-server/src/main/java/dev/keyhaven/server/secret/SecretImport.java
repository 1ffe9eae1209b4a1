package dev.keyhaven.server.secret;

/** A folder's import of another environment and path of the same project, ordered by position from 1. */
record SecretImport(
        String id,
        String folderId,
        String importEnvId,
        String importPath,
        int position,
        boolean isReplication,
        int version,
        long createdAt,
        long updatedAt) {}
