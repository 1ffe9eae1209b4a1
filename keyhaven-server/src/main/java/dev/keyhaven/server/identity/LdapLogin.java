package dev.keyhaven.server.identity;

import dev.keyhaven.server.crypto.Keyring;
import dev.keyhaven.server.crypto.SecretDigests;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.platform.web.ValidationException;
import java.text.Normalizer;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * One LDAP-auth login: limits, lockout per username, the directory's verdict, the token. Every
 * refusal of a username or password gets the same 401 {@code Invalid credentials}, whether the
 * user is unknown, the password wrong or the user outside the allowed DNs, fields or groups; the
 * audit row carries the reason, never the password. A directory that cannot be asked is a 502,
 * audited, and does not count towards the lockout.
 */
@Component
class LdapLogin {
    private static final Logger log = LoggerFactory.getLogger(LdapLogin.class);
    static final int MAX_USERNAME = 256;
    static final int MAX_PASSWORD = 1024;

    private final LdapAuthStore store;
    private final LdapDirectory directory;
    private final LoginRateLimits rateLimits;
    private final IdentityService identities;
    private final AccessTokenService tokens;
    private final LoginAudit logins;
    private final Keyring keyring;
    private final SecretDigests digests;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final Clock clock;

    LdapLogin(
            LdapAuthStore store,
            LdapDirectory directory,
            LoginRateLimits rateLimits,
            IdentityService identities,
            AccessTokenService tokens,
            LoginAudit logins,
            Keyring keyring,
            SecretDigests digests,
            TransactionTemplate tx,
            ObjectMapper json,
            Clock clock) {
        this.store = store;
        this.directory = directory;
        this.rateLimits = rateLimits;
        this.identities = identities;
        this.tokens = tokens;
        this.logins = logins;
        this.keyring = keyring;
        this.digests = digests;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
    }

    AccessTokenService.IssuedToken login(
            String identityId, String rawUsername, String password, String ip, String userAgent) {
        if (identityId == null) {
            throw ValidationException.required("identityId");
        }
        // strip(), not trim(): trim() would also drop control characters such as NUL
        String username = check("username", rawUsername == null ? null : rawUsername.strip(), MAX_USERNAME);
        // an empty password would make an unauthenticated bind, which LDAP servers accept
        check("password", password, MAX_PASSWORD);
        rateLimits.check(LdapAuthService.NAME, identityId, ip);
        Identity identity = identities.find(identityId).orElse(null);
        if (identity == null) {
            log.info("LDAP auth login for an unknown identity from {}", ip);
            throw ApiException.unauthorized("Invalid credentials");
        }
        LdapAuthStore.Config c = store.byIdentity(identity.id()).orElse(null);
        if (c == null) {
            logins.failed(
                    LdapAuthService.NAME, identity, ip, userAgent, "LDAP auth is not configured for the identity");
            throw ApiException.unauthorized("Invalid credentials");
        }
        String userKey = digests.digest(lockoutKey(username));
        long now = clock.millis();
        Optional<LdapAuthStore.Lockout> lockout =
                c.lockouts().enabled() ? store.lockout(c.id(), userKey) : Optional.empty();
        if (lockout.isPresent() && lockout.get().lockedUntil() > now) {
            logins.failed(LdapAuthService.NAME, identity, ip, userAgent, "locked out");
            throw ApiException.unauthorized(
                    "Failed to authenticate identity credentials: LDAP auth is temporarily locked "
                            + "for this username due to too many failed login attempts. Try again later.");
        }
        LdapDirectory.Verdict verdict;
        try {
            verdict = directory.authenticate(server(identity, c), search(c), username, password);
        } catch (LdapDirectory.Unavailable e) {
            logins.failed(LdapAuthService.NAME, identity, ip, userAgent, "directory unavailable: " + e.getMessage());
            throw new ApiException(
                    502,
                    "BadGateway",
                    "Failed to authenticate identity with LDAP: the directory is unavailable or misconfigured");
        }
        if (!verdict.accepted()) {
            countFailure(c, userKey, lockout, now);
            logins.failed(LdapAuthService.NAME, identity, ip, userAgent, verdict.reason());
            throw ApiException.unauthorized("Invalid credentials");
        }
        return tx.execute(st -> {
            if (lockout.isPresent()) {
                store.clearLockout(c.id(), userKey);
            }
            AccessTokenService.IssuedToken t = tokens.issue(
                    identity.id(), LdapAuthService.NAME, null, null, c.common().settings(json));
            logins.succeeded(
                    LdapAuthService.NAME,
                    identity,
                    ip,
                    userAgent,
                    Map.of(
                            "identityId",
                            identity.id(),
                            "identityLdapAuthId",
                            c.id(),
                            "ldapUsername",
                            username,
                            "ldapDn",
                            verdict.userDn()));
            return t;
        });
    }

    /**
     * The username as directories compare it (case and runs of spaces ignored, Unicode compatibility
     * forms folded), so that {@code Alice} or {@code alice  } count towards alice's lockout.
     */
    static String lockoutKey(String username) {
        return Normalizer.normalize(username, Normalizer.Form.NFKC)
                .toLowerCase(Locale.ROOT)
                .replaceAll("\\s+", " ");
    }

    private static String check(String field, String value, int max) {
        if (value == null) {
            throw ValidationException.required(field);
        }
        if (value.isBlank()) {
            throw ValidationException.field(
                    field, Character.toUpperCase(field.charAt(0)) + field.substring(1) + " is required");
        }
        if (value.length() > max) {
            throw ValidationException.field(field, "String must contain at most " + max + " character(s)");
        }
        return value;
    }

    private LdapDirectory.Server server(Identity identity, LdapAuthStore.Config c) {
        return new LdapDirectory.Server(
                c.url(),
                c.startTls(),
                c.caCert(),
                keyring.openForOrg(
                        identity.orgId(), LdapAuthService.aad(identity.id(), c.id(), "bindDN"), c.bindDnCt()),
                keyring.openForOrg(
                        identity.orgId(), LdapAuthService.aad(identity.id(), c.id(), "bindPass"), c.bindPassCt()));
    }

    private LdapDirectory.Search search(LdapAuthStore.Config c) {
        return new LdapDirectory.Search(
                c.searchBase(),
                c.searchFilter(),
                new LdapAccessRules(
                        json.readValue(c.allowedFieldsJson(), LdapAuthService.FIELDS),
                        json.readValue(c.allowedGroupsJson(), LdapAuthService.STRINGS),
                        json.readValue(c.allowedDnPatternsJson(), LdapAuthService.STRINGS)));
    }

    private void countFailure(
            LdapAuthStore.Config c, String userKey, Optional<LdapAuthStore.Lockout> current, long now) {
        if (!c.lockouts().enabled()) {
            return;
        }
        LdapAuthStore.Lockout prev = current.orElse(null);
        boolean fresh = prev == null
                || prev.lockedUntil() > 0
                || now - prev.firstFailedAt() > c.lockouts().counterResetSeconds() * 1000L;
        int count = fresh ? 1 : prev.failedCount() + 1;
        long first = fresh ? now : prev.firstFailedAt();
        LdapAuthStore.Lockout next = count >= c.lockouts().threshold()
                ? new LdapAuthStore.Lockout(0, now, now + c.lockouts().durationSeconds() * 1000L)
                : new LdapAuthStore.Lockout(count, first, 0);
        tx.executeWithoutResult(st -> store.saveLockout(c.id(), userKey, next));
    }
}
