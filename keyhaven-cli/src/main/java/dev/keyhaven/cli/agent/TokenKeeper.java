package dev.keyhaven.cli.agent;

import dev.keyhaven.client.KeyhavenClient;
import dev.keyhaven.client.KeyhavenException;
import dev.keyhaven.client.Token;
import java.time.Duration;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * Keeps the agent's access token usable: logs in on first use, renews the token
 * ({@code /api/v1/auth/token/renew}) once less than a third of its TTL (and at least two poll
 * intervals) is left, and logs in afresh when a renewal is refused, when the token would outlive
 * its max TTL, or when the server rejected it (revoked, use limit reached). The token itself is
 * never logged.
 */
final class TokenKeeper {
    /** A login the server refused (wrong client secret, identity removed): retried with backoff. */
    static final class LoginFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LoginFailedException(String message) {
            super(message);
        }
    }

    private final AuthMethod auth;
    private final KeyhavenClient anonymous;
    private final AgentLog log;
    private final long minMarginMs;
    private final LongSupplier clock;

    private String token;
    private long expiresAtMs; // 0: does not expire
    private long ttlMs;
    private long maxEndMs; // 0: no max TTL

    TokenKeeper(AuthMethod auth, KeyhavenClient anonymous, AgentLog log, Duration pollInterval, LongSupplier clock) {
        this.auth = auth;
        this.anonymous = anonymous;
        this.log = log;
        this.minMarginMs = 2 * pollInterval.toMillis();
        this.clock = clock;
    }

    /** A token to use now: logged in, renewed or replaced as needed. */
    synchronized String token() {
        long now = clock.getAsLong();
        if (token == null) {
            return login(null);
        }
        if (expiresAtMs == 0) {
            return token;
        }
        if (now >= expiresAtMs) {
            return login("the access token expired");
        }
        long margin = Math.max(ttlMs / 3, minMarginMs);
        if (expiresAtMs - now > margin) {
            return token;
        }
        if (maxEndMs != 0 && maxEndMs - now <= margin) {
            return login("the access token reaches its max TTL");
        }
        Token renewed;
        try {
            renewed = anonymous.renew(token);
        } catch (KeyhavenException.Unauthenticated | KeyhavenException.Invalid e) {
            return login("the server refused to renew the access token (" + e.getMessage() + ")");
        }
        if (renewed.expiresIn() <= 0) {
            return login("the renewed token has no time left");
        }
        expiresAtMs = now + renewed.expiresIn() * 1000;
        log.info("Renewed the access token; it now expires at " + Instant.ofEpochMilli(expiresAtMs) + ".");
        return token;
    }

    /** The server rejected the token (401): the next {@link #token()} logs in again. */
    synchronized void rejected(String reason) {
        if (token != null) {
            log.warn("The server rejected the access token (" + reason + "); logging in again.");
        }
        token = null;
    }

    private String login(String why) {
        token = null;
        long now = clock.getAsLong();
        Token t;
        try {
            t = auth.login(anonymous);
        } catch (KeyhavenException.Unreachable e) {
            throw e;
        } catch (KeyhavenException e) {
            throw new LoginFailedException("Login with " + auth.describe() + " failed: " + e.getMessage());
        }
        token = t.accessToken();
        ttlMs = Math.max(0, t.expiresIn()) * 1000;
        expiresAtMs = t.expiresIn() > 0 ? now + ttlMs : 0;
        maxEndMs = t.expiresIn() > 0 && t.accessTokenMaxTtl() > 0 ? now + t.accessTokenMaxTtl() * 1000 : 0;
        log.info((why == null ? "Logged in" : "Logged in again (" + why + ")") + " with " + auth.describe() + "; "
                + (expiresAtMs == 0
                        ? "the token does not expire."
                        : "the token expires at " + Instant.ofEpochMilli(expiresAtMs) + "."));
        return token;
    }
}
