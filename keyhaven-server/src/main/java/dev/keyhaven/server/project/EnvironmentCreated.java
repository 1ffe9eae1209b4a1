package dev.keyhaven.server.project;

/**
 * Published inside the transaction that creates an environment, so features that keep
 * per-environment state (the folder tree) create it in the same transaction.
 */
public record EnvironmentCreated(String projectId, String environmentId) {}
