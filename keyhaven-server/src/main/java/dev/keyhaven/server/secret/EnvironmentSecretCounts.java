package dev.keyhaven.server.secret;

import dev.keyhaven.server.project.EnvironmentContents;
import org.springframework.stereotype.Component;

/** Counts the secrets of an environment for the project feature; no access check (the caller has checked the project). */
@Component
class EnvironmentSecretCounts implements EnvironmentContents {
    private final SecretStore store;

    EnvironmentSecretCounts(SecretStore store) {
        this.store = store;
    }

    @Override
    public long secretCount(String environmentId) {
        return store.countInEnvironment(environmentId);
    }
}
