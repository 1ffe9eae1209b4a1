package dev.keyhaven.server.identity;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.platform.web.ValidationException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The login the JWT, OIDC, GCP and Azure methods share: find the identity and its configuration,
 * verify the token against the configured keys and bounds, and issue an access token, auditing
 * every outcome for a known identity (the reason, never the token). The methods differ only in where their keys
 * come from and in what they check in the verified claims.
 */
@Component
class JwtLogin {
    private static final Logger log = LoggerFactory.getLogger(JwtLogin.class);

    /** How a method names itself: route name, label in messages, audit event stem and config id key. */
    record Method(String name, String label, String event, String configIdKey) {}

    /**
     * What a method checks in a verified token beyond the bounds (GCP's allowed service accounts,
     * Azure's tenant, …); it throws {@link JwtVerifier.Rejected} with the reason.
     */
    interface ClaimsCheck {
        void check(JWTClaimsSet claims);
    }

    /** What a method's configuration contributes to one login. */
    record Target(
            String configId,
            JwtVerifier.KeySource keys,
            JwtVerifier.Bounds bounds,
            TokenSettings settings,
            ClaimsCheck check) {
        Target(String configId, JwtVerifier.KeySource keys, JwtVerifier.Bounds bounds, TokenSettings settings) {
            this(configId, keys, bounds, settings, claims -> {});
        }
    }

    private final LoginRateLimits rateLimits;
    private final IdentityService identities;
    private final AccessTokenService tokens;
    private final JwtVerifier verifier;
    private final LoginAudit logins;
    private final TransactionTemplate tx;

    JwtLogin(
            LoginRateLimits rateLimits,
            IdentityService identities,
            AccessTokenService tokens,
            JwtVerifier verifier,
            LoginAudit logins,
            TransactionTemplate tx) {
        this.rateLimits = rateLimits;
        this.identities = identities;
        this.tokens = tokens;
        this.verifier = verifier;
        this.logins = logins;
        this.tx = tx;
    }

    AccessTokenService.IssuedToken login(
            Method m,
            String identityId,
            String jwt,
            String ip,
            String userAgent,
            Function<String, Optional<Target>> configFor) {
        if (identityId == null || jwt == null) {
            throw ValidationException.required(identityId == null ? "identityId" : "jwt");
        }
        rateLimits.check(m.name(), identityId, ip);
        Identity identity = identities.find(identityId).orElse(null);
        if (identity == null) {
            log.info("{} auth login for an unknown identity from {}", m.label(), ip);
            throw ApiException.unauthorized("Invalid credentials");
        }
        Target target = configFor.apply(identity.id()).orElse(null);
        if (target == null) {
            logins.failed(
                    m.event() + "-auth",
                    identity,
                    ip,
                    userAgent,
                    m.label() + " auth is not configured for the identity");
            throw ApiException.unauthorized("Invalid credentials");
        }
        try {
            target.check().check(verifier.verify(jwt, target.keys(), target.bounds()));
        } catch (JwtVerifier.Rejected e) {
            logins.failed(m.event() + "-auth", identity, ip, userAgent, e.getMessage());
            throw ApiException.unauthorized(
                    "Failed to authenticate identity with " + m.label() + ": " + e.publicReason());
        }
        return tx.execute(st -> {
            AccessTokenService.IssuedToken t = tokens.issue(identity.id(), m.name(), null, null, target.settings());
            logins.succeeded(
                    m.event() + "-auth",
                    identity,
                    ip,
                    userAgent,
                    Map.of("identityId", identity.id(), m.configIdKey(), target.configId()));
            return t;
        });
    }
}
