package dev.keyhaven.server.people;

import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.actor.ActorType;
import dev.keyhaven.server.crypto.SecretDigests;
import dev.keyhaven.server.org.SessionLength;
import dev.keyhaven.server.platform.db.Ids;
import dev.keyhaven.server.platform.web.ApiException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * People's sessions: a short-lived access token and a single-use refresh token per session, both
 * stored as keyed digests. Every request re-reads the session with its organization's policy in
 * one query, so a revoked session, a deactivated member, a shortened session length or a newly
 * enforced MFA takes effect on the next request, on every node.
 */
@Service
public class SessionService {
    public static final String ACCESS_PREFIX = "kh_us_";
    static final String REFRESH_PREFIX = "kh_rt_";
    private static final long NO_ORG_SESSION_MILLIS = 30L * 86_400_000L;
    private static final long TOUCH_EVERY_MILLIS = 60_000L;

    private final SessionStore store;
    private final SecretDigests digests;
    private final UsersProperties props;
    private final SessionAudit audit;
    private final ObjectMapper json;
    private final TransactionTemplate tx;
    private final Clock clock;

    SessionService(
            SessionStore store,
            SecretDigests digests,
            UsersProperties props,
            SessionAudit audit,
            ObjectMapper json,
            TransactionTemplate tx,
            Clock clock) {
        this.store = store;
        this.digests = digests;
        this.props = props;
        this.audit = audit;
        this.json = json;
        this.tx = tx;
        this.clock = clock;
    }

    /** Starts a session for a person who has just proven who they are. */
    IssuedSession start(
            Account account,
            SessionStore.OrgChoice org,
            String method,
            boolean mfaVerified,
            String ip,
            String userAgent) {
        long now = clock.millis();
        long orgLength = org == null ? NO_ORG_SESSION_MILLIS : SessionLength.millis(org.sessionLength());
        long length =
                BreakGlass.METHOD.equals(method) ? Math.min(orgLength, BreakGlass.MAX_SESSION.toMillis()) : orgLength;
        String sessionId = Ids.newId();
        String csrf = SecretDigests.randomHex(32);
        IssuedSession issued = tx.execute(s -> {
            store.insertSession(
                    sessionId,
                    account.id(),
                    org == null ? null : org.orgId(),
                    method,
                    mfaVerified,
                    digests.digest(csrf),
                    ip,
                    userAgent,
                    now,
                    now + length);
            return issueTokens(
                    sessionId,
                    account.id(),
                    org == null ? null : org.orgId(),
                    csrf,
                    now,
                    now + length,
                    org != null && org.enforceMfa() && !account.hasMfa());
        });
        audit.loggedIn(account, org == null ? null : org.orgId(), method, ip, userAgent);
        return issued;
    }

    private IssuedSession issueTokens(
            String sessionId,
            String userId,
            String orgId,
            String csrf,
            long now,
            long sessionEnd,
            boolean enrollmentRequired) {
        String access = ACCESS_PREFIX + SecretDigests.randomHex(32);
        String refresh = REFRESH_PREFIX + SecretDigests.randomHex(32);
        long accessEnd = Math.min(now + props.accessTokenTtl().toMillis(), sessionEnd);
        store.insertToken(digests.digest(access), sessionId, SessionStore.ACCESS, accessEnd, now);
        store.insertToken(digests.digest(refresh), sessionId, SessionStore.REFRESH, sessionEnd, now);
        return new IssuedSession(
                sessionId,
                userId,
                orgId,
                access,
                refresh,
                csrf,
                Math.max(0, (accessEnd - now) / 1000),
                sessionEnd,
                enrollmentRequired);
    }

    /**
     * The actor behind an access token. {@code beforeMfa} says the route is one a person may use
     * while their organization waits for them to enrol a second factor (enrolment, logout, whoami).
     */
    public Actor authenticate(String token, String ip, String userAgent, boolean beforeMfa) {
        SessionStore.Resolved r = resolve(token, SessionStore.ACCESS);
        long now = clock.millis();
        if (r.tokenExpiresAt() <= now) {
            throw ApiException.tokenError("Access token has expired; refresh the session");
        }
        String orgRole = checkSession(r, now);
        if (r.orgId() == null && !beforeMfa) {
            throw ApiException.forbidden("You belong to no organization yet: accept an invitation, or create one "
                    + "with POST /api/v2/organizations and select it");
        }
        if (r.orgId() != null && r.enforceMfa() && !beforeMfa) {
            if (r.mfaMethod() == null) {
                throw new ApiException(
                        403,
                        "MfaEnrollmentRequired",
                        "Your organization requires multi-factor "
                                + "authentication: enrol a second factor at POST /api/v1/auth/mfa/totp/register first");
            }
            if (!r.mfaVerified()) {
                throw new ApiException(
                        403,
                        "MfaRequired",
                        "Your organization requires multi-factor authentication: log in again with your second factor");
            }
        }
        if (now - r.lastUsedAt() > TOUCH_EVERY_MILLIS) {
            store.touch(r.sessionId(), now);
        }
        String name =
                r.firstName() == null ? r.email() : (r.firstName() + (r.lastName() == null ? "" : " " + r.lastName()));
        return new Actor(
                ActorType.USER,
                r.userId(),
                name,
                r.email(),
                r.orgId(),
                orgRole,
                r.sessionId(),
                ip,
                userAgent,
                Map.of(),
                r.accessEpoch());
    }

    /** Checks a cookie-authenticated request's CSRF token against its session (constant time). */
    void checkCsrf(String accessOrRefreshToken, String csrfToken) {
        SessionStore.Resolved r =
                digests.find(accessOrRefreshToken, store::resolve).orElse(null);
        boolean ok =
                r != null && r.csrfDigest() != null && csrfToken != null && digests.matches(csrfToken, r.csrfDigest());
        if (!ok) {
            throw new ApiException(403, "CsrfError", "Missing or wrong X-CSRF-Token header for a cookie session");
        }
    }

    /**
     * Exchanges a refresh token for new tokens. A refresh token works once: presenting a used one
     * means it was copied, so the whole session ends (both the thief's and the owner's copies).
     */
    IssuedSession refresh(String refreshToken, String ip, String userAgent) {
        SessionStore.Resolved r = resolve(refreshToken, SessionStore.REFRESH);
        long now = clock.millis();
        if (r.tokenUsedAt() != null || !digests.anyMatch(refreshToken, d -> store.useToken(d, now))) {
            store.revoke(r.sessionId(), "refresh-token-reuse", now);
            audit.refreshReuse(r.userId(), r.orgId(), r.email(), ip, userAgent);
            throw ApiException.unauthorized("Refresh token was already used; the session has been ended. Log in again");
        }
        if (r.tokenExpiresAt() <= now) {
            throw ApiException.unauthorized("The session has expired; log in again");
        }
        try {
            checkSession(r, now);
        } catch (ApiException e) {
            throw ApiException.unauthorized(e.getMessage());
        }
        String csrf = SecretDigests.randomHex(32);
        return tx.execute(s -> {
            store.expireAccessTokens(r.sessionId(), now);
            store.updateCsrf(r.sessionId(), digests.digest(csrf));
            return issueTokens(r.sessionId(), r.userId(), r.orgId(), csrf, now, r.tokenExpiresAt(), false);
        });
    }

    /** The organization check every request makes; returns the person's org role (null without an org). */
    private String checkSession(SessionStore.Resolved r, long now) {
        if (r.revokedAt() != null) {
            throw ApiException.tokenError("The session has been ended; log in again");
        }
        if (r.orgId() == null) {
            return null;
        }
        if (r.orgRole() == null || !r.orgActive() || !"accepted".equals(r.orgStatus())) {
            throw ApiException.tokenError("You are no longer an active member of this organization");
        }
        OrgPolicy policy = OrgPolicy.of(json, r.enforceMfa(), r.sessionLength(), r.loginMethods(), r.emailDomains());
        if (now >= r.createdAt() + policy.maxSessionMillis()) {
            throw ApiException.tokenError("The session is older than this organization allows; log in again");
        }
        String refusal = policy.refusal(r.authMethod(), r.email());
        if (refusal != null) {
            throw ApiException.tokenError(refusal);
        }
        if (BreakGlass.METHOD.equals(r.authMethod()) && !"admin".equals(r.orgRole())) {
            throw ApiException.tokenError("A break-glass session is for admins only; sign in with single sign-on");
        }
        return r.orgRole();
    }

    private SessionStore.Resolved resolve(String token, String kind) {
        String prefix = SessionStore.ACCESS.equals(kind) ? ACCESS_PREFIX : REFRESH_PREFIX;
        if (token == null || !token.startsWith(prefix) || token.length() != prefix.length() + 64) {
            throw SessionStore.ACCESS.equals(kind)
                    ? ApiException.tokenError("Invalid access token")
                    : ApiException.unauthorized("Invalid refresh token");
        }
        Optional<SessionStore.Resolved> r =
                digests.find(token, store::resolve).filter(x -> x.kind().equals(kind));
        return r.orElseThrow(() -> SessionStore.ACCESS.equals(kind)
                ? ApiException.tokenError("Invalid access token")
                : ApiException.unauthorized("Invalid refresh token"));
    }

    /** Switches the session to another organization the person belongs to. */
    SessionStore.OrgChoice selectOrg(Actor actor, String orgId, Account account) {
        SessionStore.OrgChoice org = store.orgsOf(actor.id()).stream()
                .filter(o -> o.orgId().equals(orgId))
                .findFirst()
                .orElseThrow(() -> ApiException.forbidden("You are not an active member of that organization"));
        SessionStore.Row session = store.session(actor.tokenId()).orElseThrow();
        if (!"password".equals(session.authMethod()) && !org.orgId().equals(session.orgId())) {
            throw ApiException.forbidden("A " + session.authMethod() + " session belongs to the organization it was "
                    + "started for; sign in to the other organization through its own login");
        }
        String refusal = OrgPolicy.of(
                        json, org.enforceMfa(), org.sessionLength(), org.loginMethods(), org.emailDomains())
                .refusal(session.authMethod(), account.email());
        if (refusal != null) {
            throw ApiException.forbidden(refusal);
        }
        store.setOrg(session.id(), org.orgId());
        return org;
    }

    List<SessionStore.Row> list(Actor actor) {
        return store.liveSessions(actor.id(), clock.millis());
    }

    /** Ends one of the actor's own sessions. */
    void revokeOwn(Actor actor, String sessionId) {
        SessionStore.Row row = store.session(sessionId)
                .filter(s -> s.userId().equals(actor.id()))
                .orElseThrow(() -> ApiException.notFound("Session not found"));
        store.revoke(row.id(), "revoked-by-owner", clock.millis());
    }

    /** Ends every session of a person (password reset, admin action); {@code keep} survives. */
    int revokeAll(String userId, String keep, String reason) {
        return store.revokeAllOf(userId, keep, reason, clock.millis());
    }

    void markMfaVerified(String sessionId) {
        store.markMfaVerified(sessionId);
    }

    List<SessionStore.OrgChoice> orgsOf(String userId) {
        return store.orgsOf(userId);
    }
}
