package dev.keyhaven.server.people;

import dev.keyhaven.server.crypto.SecretDigests;
import dev.keyhaven.server.platform.db.Ids;
import dev.keyhaven.server.platform.web.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Single-use, expiring tokens for links sent by e-mail (verification, password reset, invitation)
 * and for the step between a password and a second factor. Only their keyed digest is stored; a
 * token works once, before its expiry, for its own purpose only.
 */
@Component
class OneTimeTokens {
    static final String VERIFY_EMAIL = "verify-email";
    static final String RESET_PASSWORD = "reset-password";
    static final String MFA_TICKET = "mfa-ticket";
    static final String INVITE = "invite";

    private final AccountStore store;
    private final SecretDigests digests;
    private final Clock clock;

    OneTimeTokens(AccountStore store, SecretDigests digests, Clock clock) {
        this.store = store;
        this.digests = digests;
        this.clock = clock;
    }

    String issue(String userId, String purpose, String payload, Duration ttl) {
        String token = SecretDigests.randomHex(32);
        long now = clock.millis();
        store.insertToken(Ids.newId(), userId, purpose, digests.digest(token), payload, now + ttl.toMillis(), now);
        return token;
    }

    /** The live token row, without using it up; empty when unknown, used, expired or for another purpose. */
    Optional<AccountStore.TokenRow> peek(String token, String purpose) {
        if (token == null || !token.matches("[0-9a-f]{64}")) {
            return Optional.empty();
        }
        long now = clock.millis();
        return digests.find(token, d -> store.token(d, purpose)).filter(t -> t.usedAt() == null && t.expiresAt() > now);
    }

    /** Uses the token up and returns its row, or answers with {@code invalidMessage} (400). */
    AccountStore.TokenRow consume(String token, String purpose, String invalidMessage) {
        AccountStore.TokenRow row = peek(token, purpose).orElseThrow(() -> ApiException.badRequest(invalidMessage));
        if (!store.useToken(row.id(), clock.millis())) {
            throw ApiException.badRequest(invalidMessage);
        }
        return row;
    }

    void voidAll(String userId, String purpose) {
        store.voidTokens(userId, purpose, clock.millis());
    }
}
