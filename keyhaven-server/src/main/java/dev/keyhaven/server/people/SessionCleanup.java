package dev.keyhaven.server.people;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Purges what no request can use any more: session tokens and single-use tokens a day after they
 * expired, and sessions thirty days after they ended (kept a while so "who was logged in" stays
 * answerable). Every node runs it hourly; the deletes are idempotent.
 */
@Component
public class SessionCleanup {
    private static final Logger log = LoggerFactory.getLogger(SessionCleanup.class);
    private static final long DAY = 86_400_000L;
    private final SessionStore sessions;
    private final AccountStore accounts;
    private final Clock clock;

    SessionCleanup(SessionStore sessions, AccountStore accounts, Clock clock) {
        this.sessions = sessions;
        this.accounts = accounts;
        this.clock = clock;
    }

    @Scheduled(initialDelayString = "PT5M", fixedDelayString = "PT1H")
    public void purgeExpired() {
        long now = clock.millis();
        int tokens = sessions.deleteTokensExpiredBefore(now - DAY);
        int sessionRows = sessions.deleteSessionsEndedBefore(now - 30 * DAY);
        int oneTime = accounts.deleteTokensExpiredBefore(now - DAY);
        if (tokens + sessionRows + oneTime > 0) {
            log.info(
                    "Purged {} expired session tokens, {} old sessions and {} expired single-use tokens",
                    tokens,
                    sessionRows,
                    oneTime);
        }
    }
}
