package dev.keyhaven.server.project;

/**
 * What an environment still holds, asked before a template apply removes it. The secret feature
 * answers, so projects need not know how secrets are stored.
 */
public interface EnvironmentContents {
    /** Secrets (shared and personal) stored in the environment, in any folder. */
    long secretCount(String environmentId);
}
