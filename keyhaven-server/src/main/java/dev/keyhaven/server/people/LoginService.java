package dev.keyhaven.server.people;

import dev.keyhaven.server.crypto.PasswordHasher;
import dev.keyhaven.server.notify.MailTemplates;
import dev.keyhaven.server.notify.Notifications;
import dev.keyhaven.server.platform.ratelimit.RateLimiter;
import dev.keyhaven.server.platform.text.EmailAddresses;
import dev.keyhaven.server.platform.web.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import tools.jackson.databind.ObjectMapper;

/**
 * Logging a person in: e-mail and password, then the second factor when the account has one.
 * Every wrong answer is the same 401, whether the address is unknown, the password wrong or the
 * account locked, and every path checks one Argon2id hash, so neither the answer nor its timing
 * tells an outsider which addresses have accounts.
 */
@Service
public class LoginService {
    private static final Logger log = LoggerFactory.getLogger(LoginService.class);
    static final String INVALID =
            "Invalid e-mail or password (after " + "repeated failures an account is locked for a while)";
    private static final Duration MFA_TICKET_TTL = Duration.ofMinutes(5);

    private final AccountStore store;
    private final OneTimeTokens tokens;
    private final PasswordHasher passwords;
    private final SessionService sessions;
    private final MfaService mfa;
    private final SessionAudit audit;
    private final RateLimiter limiter;
    private final Notifications notifications;
    private final MailTemplates mails;
    private final UsersProperties props;
    private final BreakGlass breakGlass;
    private final ObjectMapper json;
    private final Clock clock;
    private final String dummyHash;

    LoginService(
            AccountStore store,
            OneTimeTokens tokens,
            PasswordHasher passwords,
            SessionService sessions,
            MfaService mfa,
            SessionAudit audit,
            RateLimiter limiter,
            Notifications notifications,
            MailTemplates mails,
            UsersProperties props,
            BreakGlass breakGlass,
            ObjectMapper json,
            Clock clock) {
        this.breakGlass = breakGlass;
        this.store = store;
        this.tokens = tokens;
        this.passwords = passwords;
        this.sessions = sessions;
        this.mfa = mfa;
        this.audit = audit;
        this.limiter = limiter;
        this.notifications = notifications;
        this.mails = mails;
        this.props = props;
        this.json = json;
        this.clock = clock;
        this.dummyHash = passwords.hash("keyhaven-timing-equaliser-" + System.nanoTime());
    }

    /** The first step's outcome: a session, or a ticket for the second factor. */
    record Outcome(IssuedSession session, String mfaTicket, String mfaMethod) {}

    Outcome login(String rawEmail, String password, String organizationId, String ip, String userAgent) {
        return login(rawEmail, password, organizationId, null, ip, userAgent);
    }

    /**
     * As {@link #login(String, String, String, String, String)}; a {@code breakGlassReason} asks for
     * the break-glass path: an admin of {@code organizationId}, which enforces SSO, signs in with
     * their password (and second factor) anyway. The session is audited, e-mailed to the other
     * admins, and ends after {@link BreakGlass#MAX_SESSION} at most.
     */
    Outcome login(
            String rawEmail,
            String password,
            String organizationId,
            String breakGlassReason,
            String ip,
            String userAgent) {
        String reason = BreakGlass.reason(breakGlassReason, organizationId);
        String email = EmailAddresses.normalize("email", rawEmail);
        if (password == null || password.isEmpty() || password.length() > 256) {
            throw ApiException.unauthorized(INVALID);
        }
        limit("user-login-ip:" + ip, props.loginPerIpPerMinute());
        limit("user-login-email:" + email, props.loginPerAccountPerMinute());
        long now = clock.millis();
        Account a = store.byEmail(email).orElse(null);
        if (a == null || !a.complete()) {
            passwords.matches(password, dummyHash);
            log.info("Password login for an unknown or incomplete account from {}", ip);
            throw ApiException.unauthorized(INVALID);
        }
        if (a.lockedAt(now)) {
            passwords.matches(password, dummyHash);
            audit.loginFailed(a, firstOrgId(a), "account locked", ip, userAgent);
            throw ApiException.unauthorized(INVALID);
        }
        if (!passwords.matches(password, a.passwordHash())) {
            store.recordFailedLogin(
                    a.id(),
                    props.lockoutThreshold(),
                    now + props.lockoutDuration().toMillis());
            audit.loginFailed(a, firstOrgId(a), "wrong password", ip, userAgent);
            throw ApiException.unauthorized(INVALID);
        }
        store.clearFailedLogins(a.id());
        if (!a.emailVerified()) {
            throw ApiException.forbidden("Verify your e-mail address first: open the link we sent when you signed up");
        }
        SessionStore.OrgChoice org = reason == null ? chooseOrg(a, organizationId) : breakGlass.org(a, organizationId);
        alertOnNewAddress(a, ip, userAgent, now);
        String method = reason == null ? "password" : BreakGlass.METHOD;
        if (a.hasMfa()) {
            String ticket = tokens.issue(
                    a.id(),
                    OneTimeTokens.MFA_TICKET,
                    json.writeValueAsString(
                            Map.of("orgId", org == null ? "" : org.orgId(), "method", method, "reason", nz(reason))),
                    MFA_TICKET_TTL);
            if ("email".equals(a.mfaMethod())) {
                mfa.sendEmailCode(a);
            }
            return new Outcome(null, ticket, a.mfaMethod());
        }
        IssuedSession session = sessions.start(a, org, method, false, ip, userAgent);
        if (reason != null) {
            breakGlass.announce(a, org, reason, ip, userAgent);
        }
        return new Outcome(session, null, null);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** The second step: a TOTP code, an e-mail code or a recovery code for the ticket from the first. */
    IssuedSession verifyMfa(String ticket, String code, String recoveryCode, String ip, String userAgent) {
        AccountStore.TokenRow t = tokens.peek(ticket, OneTimeTokens.MFA_TICKET)
                .orElseThrow(
                        () -> ApiException.unauthorized("The MFA step has expired or was already used; log in again"));
        limit("user-mfa-ip:" + ip, props.loginPerIpPerMinute());
        Account a = store.byId(t.userId()).orElseThrow(() -> ApiException.unauthorized("Unknown account"));
        tools.jackson.databind.JsonNode payload = json.readTree(t.payload());
        String orgId = payload.path("orgId").asString("");
        String method = BreakGlass.METHOD.equals(payload.path("method").asString("")) ? BreakGlass.METHOD : "password";
        mfa.verifySecondFactor(a, t, code, recoveryCode, orgId.isEmpty() ? null : orgId, ip, userAgent);
        tokens.consume(ticket, OneTimeTokens.MFA_TICKET, "The MFA step was already used; log in again");
        SessionStore.OrgChoice org = orgId.isEmpty()
                ? null
                : sessions.orgsOf(a.id()).stream()
                        .filter(o -> o.orgId().equals(orgId))
                        .findFirst()
                        .orElse(null);
        IssuedSession session = sessions.start(a, org, method, true, ip, userAgent);
        if (BreakGlass.METHOD.equals(method) && org != null) {
            breakGlass.announce(a, org, payload.path("reason").asString(""), ip, userAgent);
        }
        return session;
    }

    private SessionStore.OrgChoice chooseOrg(Account a, String organizationId) {
        List<SessionStore.OrgChoice> orgs = sessions.orgsOf(a.id());
        if (organizationId != null && !organizationId.isBlank()) {
            SessionStore.OrgChoice org = orgs.stream()
                    .filter(o -> o.orgId().equals(organizationId))
                    .findFirst()
                    .orElseThrow(() -> ApiException.forbidden("You are not an active member of that organization"));
            String refusal = policy(org).refusal("password", a.email());
            if (refusal != null) {
                throw ApiException.forbidden(refusal);
            }
            return org;
        }
        // Without a choice: the first organization that admits a password login, else none.
        return orgs.stream()
                .filter(o -> policy(o).refusal("password", a.email()) == null)
                .findFirst()
                .orElse(null);
    }

    private OrgPolicy policy(SessionStore.OrgChoice o) {
        return OrgPolicy.of(json, o.enforceMfa(), o.sessionLength(), o.loginMethods(), o.emailDomains());
    }

    private String firstOrgId(Account a) {
        List<SessionStore.OrgChoice> orgs = sessions.orgsOf(a.id());
        return orgs.isEmpty() ? null : orgs.get(0).orgId();
    }

    /** A security alert when an account that has logged in before does so from a new address. */
    private void alertOnNewAddress(Account a, String ip, String userAgent, long now) {
        boolean seenBefore = store.hasKnownIps(a.id());
        if (store.rememberIp(a.id(), ip, now) && seenBefore) {
            notifications.email(a.email(), mails.newLoginAlert(ip, userAgent, Instant.ofEpochMilli(now)));
        }
    }

    private void limit(String key, int perMinute) {
        long wait = limiter.hit(key, perMinute);
        if (wait > 0) {
            throw ApiException.rateLimited("Too many login attempts; try again in " + wait + " s", wait);
        }
    }
}
