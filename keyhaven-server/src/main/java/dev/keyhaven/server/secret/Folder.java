package dev.keyhaven.server.secret;

/** A folder in one environment's tree; the root has path {@code /} and no parent. */
public record Folder(
        String id,
        String envId,
        String parentId,
        String name,
        String path,
        String description,
        int version,
        long createdAt,
        long updatedAt) {}
