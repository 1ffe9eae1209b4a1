package dev.keyhaven.server.people;

import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.crypto.PasswordHasher;
import dev.keyhaven.server.notify.MailTemplates;
import dev.keyhaven.server.notify.Notifications;
import dev.keyhaven.server.platform.db.Ids;
import dev.keyhaven.server.platform.log.Redaction;
import dev.keyhaven.server.platform.text.EmailAddresses;
import dev.keyhaven.server.platform.web.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * People's accounts: sign-up with e-mail verification, password change and reset by e-mail link.
 * Answers that could tell an outsider whether an address has an account are the same either way:
 * a sign-up with a taken address and a reset for an unknown one both say "check your mail".
 */
@Service
public class AccountService {
    static final String CHECK_MAIL = "If the address can receive mail, a message with the next step is on its way";

    private final AccountStore store;
    private final OneTimeTokens tokens;
    private final PasswordHasher passwords;
    private final SessionService sessions;
    private final SessionAudit audit;
    private final Notifications notifications;
    private final MailTemplates mails;
    private final UsersProperties props;
    private final TransactionTemplate tx;
    private final Clock clock;

    AccountService(
            AccountStore store,
            OneTimeTokens tokens,
            PasswordHasher passwords,
            SessionService sessions,
            SessionAudit audit,
            Notifications notifications,
            MailTemplates mails,
            UsersProperties props,
            TransactionTemplate tx,
            Clock clock) {
        this.store = store;
        this.tokens = tokens;
        this.passwords = passwords;
        this.sessions = sessions;
        this.audit = audit;
        this.notifications = notifications;
        this.mails = mails;
        this.props = props;
        this.tx = tx;
        this.clock = clock;
    }

    record SignUp(String email, String password, String firstName, String lastName) {
        @Override
        public String toString() {
            return Redaction.toString(this);
        }
    }

    Map<String, Object> signUp(SignUp body) {
        if (!props.signupAllowed()) {
            throw ApiException.forbidden(
                    "Sign-up is closed on this instance; ask an organization admin for an invitation");
        }
        String email = EmailAddresses.normalize("email", body.email());
        PersonNames.checkPassword("password", body.password());
        String first = PersonNames.check("firstName", body.firstName());
        String last = PersonNames.check("lastName", body.lastName());
        if (!notifications.emailEnabled()) {
            throw new ApiException(
                    503,
                    "ServiceUnavailable",
                    "Sign-up needs outgoing mail to verify addresses; the operator must set KEYHAVEN_SMTP_HOST");
        }
        String hash = passwords.hash(body.password());
        Account existing = store.byEmail(email).orElse(null);
        if (existing != null) {
            notifications.email(email, mails.signupAttempt());
            return Map.of("message", CHECK_MAIL);
        }
        tx.executeWithoutResult(s -> {
            String id = Ids.newId();
            store.insert(id, email, first, last, hash, clock.millis());
            String token = tokens.issue(id, OneTimeTokens.VERIFY_EMAIL, "{}", Duration.ofHours(24));
            notifications.email(email, mails.verification(token));
        });
        return Map.of("message", CHECK_MAIL);
    }

    Map<String, Object> verifyEmail(String token) {
        AccountStore.TokenRow row = tokens.consume(
                token,
                OneTimeTokens.VERIFY_EMAIL,
                "The verification link is invalid, used or expired; sign up again to get a new one");
        store.markVerified(row.userId(), clock.millis());
        return Map.of("message", "E-mail address verified; you can log in now");
    }

    Map<String, Object> changePassword(Actor actor, String currentPassword, String newPassword) {
        PersonNames.checkPassword("newPassword", newPassword);
        Account a = store.byId(actor.id()).orElseThrow(() -> ApiException.unauthorized("Unknown account"));
        if (currentPassword == null || !passwords.matches(currentPassword, a.passwordHash())) {
            throw ApiException.badRequest("The current password is wrong");
        }
        store.setPassword(a.id(), passwords.hash(newPassword), clock.millis());
        int ended = sessions.revokeAll(a.id(), actor.tokenId(), "password-changed");
        audit.event(
                actor.orgId(),
                a.id(),
                a.email(),
                AuditEventType.USER_PASSWORD_CHANGED,
                Map.of("otherSessionsEnded", ended),
                actor.ipAddress(),
                actor.userAgent());
        return Map.of("message", "Password changed; your other sessions have been ended");
    }

    Map<String, Object> requestReset(String rawEmail) {
        String email = EmailAddresses.normalize("email", rawEmail);
        store.byEmail(email)
                .filter(Account::emailVerified)
                .ifPresent(a -> tx.executeWithoutResult(s -> {
                    tokens.voidAll(a.id(), OneTimeTokens.RESET_PASSWORD);
                    notifications.email(
                            email,
                            mails.passwordReset(
                                    tokens.issue(a.id(), OneTimeTokens.RESET_PASSWORD, "{}", Duration.ofHours(1))));
                }));
        return Map.of("message", CHECK_MAIL);
    }

    Map<String, Object> resetPassword(String token, String newPassword) {
        PersonNames.checkPassword("newPassword", newPassword);
        String hash = passwords.hash(newPassword);
        AccountStore.TokenRow row = tokens.consume(
                token, OneTimeTokens.RESET_PASSWORD, "The reset link is invalid, used or expired; ask for a new one");
        store.setPassword(row.userId(), hash, clock.millis());
        sessions.revokeAll(row.userId(), null, "password-reset");
        return Map.of("message", "Password changed; log in with the new password");
    }

    /** The caller's own account and organizations. */
    Map<String, Object> me(Actor actor) {
        Account a = store.byId(actor.id()).orElseThrow(() -> ApiException.unauthorized("Unknown account"));
        Map<String, Object> user = view(a);
        List<Map<String, Object>> orgs = sessions.orgsOf(a.id()).stream()
                .map(o -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", o.orgId());
                    m.put("name", o.name());
                    m.put("slug", o.slug());
                    m.put("role", o.role());
                    return m;
                })
                .toList();
        return Map.of(
                "user",
                user,
                "organizations",
                orgs,
                "currentOrganizationId",
                actor.orgId() == null ? "" : actor.orgId());
    }

    static Map<String, Object> view(Account a) {
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("id", a.id());
        u.put("email", a.email());
        u.put("username", a.username());
        u.put("firstName", a.firstName());
        u.put("lastName", a.lastName());
        u.put("isEmailVerified", a.emailVerified());
        u.put("isMfaEnabled", a.hasMfa());
        u.put("selectedMfaMethod", a.mfaMethod());
        u.put("superAdmin", a.superAdmin());
        return u;
    }
}
