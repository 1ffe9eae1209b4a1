package dev.keyhaven.cli;

import dev.keyhaven.client.KeyhavenClient;
import dev.keyhaven.client.KeyhavenException;
import dev.keyhaven.client.UserTokens;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Keeps a person's stored login usable. The access token lives minutes (15 by default), so before
 * a command uses one that expires within {@value #MARGIN_SECONDS} s, and again when the server
 * rejects one as expired, the session is refreshed. The refresh token works once and a reused one
 * ends the session, so every refresh happens under the {@link CredentialsLock}, starts by reading
 * the stored login again (another process may have refreshed it already), and stores the new pair
 * durably before the new access token is used.
 */
final class UserSessions {
    static final long MARGIN_SECONDS = 60;
    static final String ENDED = "Your session has ended; run `keyhaven login --method user` again.";

    private final Path configDir;
    private final KeyhavenClient anonymous;

    UserSessions(Path configDir, KeyhavenClient anonymous) {
        this.configDir = configDir;
        this.anonymous = anonymous;
    }

    /** The access token to use now, refreshed first when it expires within the margin. */
    String freshAccessToken(Session stored) {
        if (!expiresSoon(stored)) {
            return stored.accessToken();
        }
        return CredentialsLock.hold(configDir, () -> {
            Session current = reload(stored);
            return expiresSoon(current) ? refresh(current).accessToken() : current.accessToken();
        });
    }

    /**
     * The token to retry with after the server rejected {@code rejected}: the stored one when
     * another process has refreshed meanwhile, else a refreshed one.
     */
    String afterRejection(String rejected) {
        return CredentialsLock.hold(configDir, () -> {
            Session current = Session.load(configDir);
            if (current == null || !current.isUser()) {
                throw new KeyhavenCli.UserError(ENDED + " (The stored login was removed meanwhile.)");
            }
            return current.accessToken().equals(rejected) ? refresh(current).accessToken() : current.accessToken();
        });
    }

    /** Refreshes under the lock (which the caller holds) and stores the new pair before returning it. */
    Session refresh(Session current) {
        if (current.refreshToken() == null || current.refreshToken().isBlank()) {
            throw new KeyhavenCli.UserError(ENDED + " (The stored login has no refresh token.)");
        }
        UserTokens t;
        try {
            t = anonymous.refreshSession(current.refreshToken());
        } catch (KeyhavenException.Unauthenticated | KeyhavenException.Invalid e) {
            throw new KeyhavenCli.UserError(ENDED + " (The server said: " + e.getMessage() + ")");
        }
        Session renewed = Session.ofUser(current.url(), current.email(), t);
        renewed.save(configDir);
        return renewed;
    }

    private Session reload(Session stored) {
        Session current = Session.load(configDir);
        if (current == null
                || !current.isUser()
                || !String.valueOf(current.url()).equals(String.valueOf(stored.url()))) {
            throw new KeyhavenCli.UserError("The stored login changed while this command started; run it again.");
        }
        return current;
    }

    private static boolean expiresSoon(Session s) {
        return s.expiresAt() - Instant.now().getEpochSecond() <= MARGIN_SECONDS;
    }
}
