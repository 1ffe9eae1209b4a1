package dev.keyhaven.server.project;

/** An environment of a project (dev, staging, prod, or custom), ordered by position from 1. */
public record Environment(
        String id, String projectId, String name, String slug, int position, long createdAt, long updatedAt) {}
