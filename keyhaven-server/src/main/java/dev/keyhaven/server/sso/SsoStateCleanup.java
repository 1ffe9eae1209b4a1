package dev.keyhaven.server.sso;

import java.time.Clock;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Deletes SSO logins in flight an hour after they expired; every node runs it, the delete is idempotent. */
@Component
public class SsoStateCleanup {
    private static final long HOUR = 3_600_000L;
    private final OidcSsoStore store;
    private final Clock clock;

    SsoStateCleanup(OidcSsoStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Scheduled(initialDelayString = "PT5M", fixedDelayString = "PT1H")
    public void purgeExpired() {
        store.deleteStatesExpiredBefore(clock.millis() - HOUR);
    }
}
