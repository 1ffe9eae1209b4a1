package dev.keyhaven.server.people;

import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.crypto.Keyring;
import dev.keyhaven.server.crypto.SecretDigests;
import dev.keyhaven.server.crypto.Totp;
import dev.keyhaven.server.notify.MailTemplates;
import dev.keyhaven.server.notify.Notifications;
import dev.keyhaven.server.platform.db.Ids;
import dev.keyhaven.server.platform.web.ApiException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * People's second factor: TOTP from an authenticator app (with single-use recovery codes) or a
 * code sent by e-mail. A TOTP code is good for its step and one either side, never twice; five
 * wrong codes in a row lock the second step for fifteen minutes.
 */
@Service
public class MfaService {
    static final int MAX_FAILURES = 5;
    private static final long MFA_LOCK_MILLIS = Duration.ofMinutes(15).toMillis();
    private static final Duration EMAIL_CODE_TTL = Duration.ofMinutes(10);
    private static final String EMAIL_CODE = "mfa-email";
    private static final String RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AccountStore store;
    private final Keyring keyring;
    private final SecretDigests digests;
    private final SessionService sessions;
    private final SessionAudit audit;
    private final Notifications notifications;
    private final MailTemplates mails;
    private final TransactionTemplate tx;
    private final Clock clock;

    MfaService(
            AccountStore store,
            Keyring keyring,
            SecretDigests digests,
            SessionService sessions,
            SessionAudit audit,
            Notifications notifications,
            MailTemplates mails,
            TransactionTemplate tx,
            Clock clock) {
        this.store = store;
        this.keyring = keyring;
        this.digests = digests;
        this.sessions = sessions;
        this.audit = audit;
        this.notifications = notifications;
        this.mails = mails;
        this.tx = tx;
        this.clock = clock;
    }

    /** Starts TOTP enrolment: a new secret, shown once, confirmed by the first code. */
    Map<String, Object> registerTotp(Actor actor) {
        Account a = account(actor);
        if ("totp".equals(a.mfaMethod())) {
            throw ApiException.badRequest("TOTP is already enabled; disable it first to enrol a new device");
        }
        String secret = Totp.newSecret();
        store.setPendingTotp(a.id(), keyring.sealForInstance(secret, aad(a.id())), clock.millis());
        return Map.of("secret", secret, "otpauthUrl", Totp.uri("Keyhaven", a.email(), secret));
    }

    /** Confirms enrolment with a first code; returns the recovery codes, shown this once. */
    Map<String, Object> confirmTotp(Actor actor, String code) {
        Account a = account(actor);
        if (a.totpSecret() == null || a.totpConfirmed()) {
            throw ApiException.badRequest("Start with POST /api/v1/auth/mfa/totp/register");
        }
        long step = Totp.matchingStep(secret(a), code, Instant.ofEpochMilli(clock.millis()), a.totpLastStep());
        if (step < 0) {
            throw ApiException.badRequest("The code does not match; check the device's clock and try the current code");
        }
        List<String> codes = tx.execute(s -> {
            store.confirmTotp(a.id(), step, clock.millis());
            return newRecoveryCodes(a.id());
        });
        sessions.markMfaVerified(actor.tokenId());
        audit.event(
                actor.orgId(),
                a.id(),
                a.email(),
                AuditEventType.USER_MFA_ENABLED,
                Map.of("method", "totp"),
                actor.ipAddress(),
                actor.userAgent());
        return Map.of("recoveryCodes", codes, "message", "TOTP enabled; keep the recovery codes somewhere safe");
    }

    /** Turns the second factor off, proven by a current code or a recovery code. */
    Map<String, Object> disable(Actor actor, String code, String recoveryCode, boolean orgEnforcesMfa) {
        Account a = account(actor);
        if (!a.hasMfa()) {
            throw ApiException.badRequest("Multi-factor authentication is not enabled");
        }
        if (orgEnforcesMfa) {
            throw ApiException.forbidden(
                    "Your organization requires multi-factor authentication; it cannot be turned off");
        }
        proveNow(a, code, recoveryCode);
        store.clearMfa(a.id(), clock.millis());
        audit.event(
                actor.orgId(),
                a.id(),
                a.email(),
                AuditEventType.USER_MFA_DISABLED,
                Map.of("method", a.mfaMethod()),
                actor.ipAddress(),
                actor.userAgent());
        return Map.of("message", "Multi-factor authentication disabled");
    }

    Map<String, Object> regenerateRecoveryCodes(Actor actor, String code) {
        Account a = account(actor);
        if (!"totp".equals(a.mfaMethod())) {
            throw ApiException.badRequest("Recovery codes belong to TOTP; enable TOTP first");
        }
        proveNow(a, code, null);
        List<String> codes = tx.execute(s -> newRecoveryCodes(a.id()));
        return Map.of("recoveryCodes", codes);
    }

    /** E-mail codes as the second factor: sends a code, which {@link #confirmEmail} checks. */
    Map<String, Object> startEmail(Actor actor) {
        Account a = account(actor);
        if (!notifications.emailEnabled()) {
            throw new ApiException(503, "ServiceUnavailable", "E-mail codes need outgoing mail (KEYHAVEN_SMTP_HOST)");
        }
        sendEmailCode(a);
        return Map.of("message", "A code is on its way to " + a.email());
    }

    Map<String, Object> confirmEmail(Actor actor, String code) {
        Account a = account(actor);
        if (!checkEmailCode(a, code)) {
            throw ApiException.badRequest("The code is wrong or has expired; ask for a new one");
        }
        store.setMfaMethod(a.id(), "email", clock.millis());
        sessions.markMfaVerified(actor.tokenId());
        audit.event(
                actor.orgId(),
                a.id(),
                a.email(),
                AuditEventType.USER_MFA_ENABLED,
                Map.of("method", "email"),
                actor.ipAddress(),
                actor.userAgent());
        return Map.of("message", "E-mail codes enabled as your second factor");
    }

    void sendEmailCode(Account a) {
        store.voidTokens(a.id(), EMAIL_CODE, clock.millis());
        String code = String.format(Locale.ROOT, "%06d", RANDOM.nextInt(1_000_000));
        String id = Ids.newId();
        long now = clock.millis();
        store.insertToken(
                id, a.id(), EMAIL_CODE, digests.digest(id + ":" + code), "{}", now + EMAIL_CODE_TTL.toMillis(), now);
        notifications.email(a.email(), mails.mfaCode(code));
    }

    /** Checks the second step of a login; throws 401 and counts a failure when it is wrong. */
    void verifySecondFactor(
            Account a,
            AccountStore.TokenRow ticket,
            String code,
            String recoveryCode,
            String orgId,
            String ip,
            String userAgent) {
        long now = clock.millis();
        if (a.mfaLockedAt(now)) {
            throw ApiException.unauthorized("Too many wrong codes; try again in 15 minutes");
        }
        if (ticket.attempts() >= MAX_FAILURES) {
            throw ApiException.unauthorized("Too many wrong codes for this login; log in again");
        }
        if (!matches(a, code, recoveryCode)) {
            store.countAttempt(ticket.id());
            store.recordMfaFailure(a.id(), MAX_FAILURES, now + MFA_LOCK_MILLIS);
            audit.loginFailed(a, orgId, "wrong second factor", ip, userAgent);
            throw ApiException.unauthorized("Invalid code");
        }
    }

    private void proveNow(Account a, String code, String recoveryCode) {
        if (a.mfaLockedAt(clock.millis())) {
            throw ApiException.unauthorized("Too many wrong codes; try again in 15 minutes");
        }
        if (!matches(a, code, recoveryCode)) {
            store.recordMfaFailure(a.id(), MAX_FAILURES, clock.millis() + MFA_LOCK_MILLIS);
            throw ApiException.badRequest("Invalid code");
        }
    }

    private boolean matches(Account a, String code, String recoveryCode) {
        if (recoveryCode != null && !recoveryCode.isBlank()) {
            String normalized = recoveryCode.replaceAll("[\\s-]", "").toLowerCase(Locale.ROOT);
            return normalized.length() <= 64
                    && digests.anyMatch(
                            "recovery:" + a.id() + ":" + normalized,
                            d -> store.useRecoveryCode(a.id(), d, clock.millis()));
        }
        if ("email".equals(a.mfaMethod())) {
            return checkEmailCode(a, code);
        }
        if (!"totp".equals(a.mfaMethod()) || a.totpSecret() == null) {
            return false;
        }
        long step = Totp.matchingStep(secret(a), code, Instant.ofEpochMilli(clock.millis()), a.totpLastStep());
        // The conditional update makes two requests racing with the same code win at most once.
        return step >= 0 && store.advanceTotpStep(a.id(), step);
    }

    private boolean checkEmailCode(Account a, String code) {
        String given = Totp.normalize(code);
        AccountStore.TokenRow t = store.latestToken(a.id(), EMAIL_CODE).orElse(null);
        if (given == null || t == null || t.expiresAt() <= clock.millis() || t.attempts() >= MAX_FAILURES) {
            return false;
        }
        boolean equal = digests.matches(t.id() + ":" + given, t.digest());
        if (!equal) {
            store.countAttempt(t.id());
            return false;
        }
        return store.useToken(t.id(), clock.millis());
    }

    private List<String> newRecoveryCodes(String userId) {
        List<String> codes = new ArrayList<>();
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < 10; j++) {
                sb.append(RECOVERY_ALPHABET.charAt(RANDOM.nextInt(RECOVERY_ALPHABET.length())));
            }
            String code = sb.toString();
            codes.add(code.substring(0, 5) + "-" + code.substring(5));
            rows.add(new String[] {Ids.newId(), digests.digest("recovery:" + userId + ":" + code)});
        }
        store.replaceRecoveryCodes(userId, rows, clock.millis());
        return codes;
    }

    private String secret(Account a) {
        return keyring.openForInstance(a.totpSecret(), aad(a.id()));
    }

    private static String aad(String userId) {
        return "keyhaven:totp-secret:v1:" + userId;
    }

    private Account account(Actor actor) {
        if (!actor.isUser()) {
            throw ApiException.forbidden("Only people have a second factor");
        }
        return store.byId(actor.id()).orElseThrow(() -> ApiException.unauthorized("Unknown account"));
    }
}
