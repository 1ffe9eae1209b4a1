package dev.keyhaven.server.org;

/** An organization: the tenant boundary that owns projects, identities and people. */
public record Organization(String id, String name, String slug, long createdAt, long updatedAt) {}
