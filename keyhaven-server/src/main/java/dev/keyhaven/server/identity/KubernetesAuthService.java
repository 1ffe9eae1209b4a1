package dev.keyhaven.server.identity;

import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.crypto.Keyring;
import dev.keyhaven.server.platform.json.Iso;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.platform.web.ValidationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Kubernetes auth: a pod logs in with its service-account token. In "api" mode (the default, as in
 * Infisical) the cluster's API server reviews the token ({@link KubernetesTokenReview}); in "jwks"
 * mode the token is verified locally against the issuer's keys ({@link KubernetesJwtVerifier}).
 * Either way the service account must be in the allowed namespaces and names and the token meant for
 * the allowed audience. The reviewer token is a credential: it is sealed under the org key, never
 * returned, and never sent to a host or through a CA other than the ones it was configured with.
 * Every refusal is a 401 audited with its reason.
 */
@Service
public class KubernetesAuthService
        implements MachineAuthMethod<KubernetesAuthSettings.Request, KubernetesAuthStore.Config> {
    public static final String NAME = "kubernetes-auth";
    /** Service-account tokens are a few kilobytes; anything far larger is not one. */
    static final int MAX_TOKEN_CHARS = 16 * 1024;

    private static final Logger log = LoggerFactory.getLogger(KubernetesAuthService.class);
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

    private final KubernetesAuthStore store;
    private final MethodConfigs configs;
    private final KubernetesAuthSettings settings;
    private final KubernetesTokenReview tokenReview;
    private final KubernetesJwtVerifier jwtVerifier;
    private final LoginRateLimits rateLimits;
    private final IdentityService identities;
    private final AccessTokenService tokens;
    private final Keyring keyring;
    private final LoginAudit logins;
    private final TransactionTemplate tx;
    private final ObjectMapper json;

    public KubernetesAuthService(
            KubernetesAuthStore store,
            MethodConfigs configs,
            KubernetesAuthSettings settings,
            KubernetesTokenReview tokenReview,
            KubernetesJwtVerifier jwtVerifier,
            LoginRateLimits rateLimits,
            IdentityService identities,
            AccessTokenService tokens,
            Keyring keyring,
            LoginAudit logins,
            TransactionTemplate tx,
            ObjectMapper json) {
        this.store = store;
        this.configs = configs;
        this.settings = settings;
        this.tokenReview = tokenReview;
        this.jwtVerifier = jwtVerifier;
        this.rateLimits = rateLimits;
        this.identities = identities;
        this.tokens = tokens;
        this.keyring = keyring;
        this.logins = logins;
        this.tx = tx;
        this.json = json;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AuthMethodEvents events() {
        return new AuthMethodEvents(
                AuditEventType.ADD_IDENTITY_KUBERNETES_AUTH,
                AuditEventType.UPDATE_IDENTITY_KUBERNETES_AUTH,
                AuditEventType.REVOKE_IDENTITY_KUBERNETES_AUTH);
    }

    @Override
    public String label() {
        return "Kubernetes";
    }

    @Override
    public MethodConfigStore<KubernetesAuthStore.Config> store() {
        return store;
    }

    @Override
    public KubernetesAuthStore.Config create(String id, Identity identity, KubernetesAuthSettings.Request s, long now) {
        return settings.build(id, identity, s, null, now, now);
    }

    @Override
    public KubernetesAuthStore.Config change(
            KubernetesAuthStore.Config c, Identity identity, KubernetesAuthSettings.Request s, long now) {
        return settings.build(c.id(), identity, s, c, c.createdAt(), now);
    }

    public AccessTokenService.IssuedToken login(String identityId, String jwt, String ip, String userAgent) {
        if (identityId == null || jwt == null) {
            throw ValidationException.required(identityId == null ? "identityId" : "jwt");
        }
        rateLimits.check(NAME, identityId, ip);
        Identity identity = identities.find(identityId).orElse(null);
        if (identity == null) {
            log.info("Kubernetes auth login for an unknown identity from {}", ip);
            throw ApiException.unauthorized("Invalid credentials");
        }
        KubernetesAuthStore.Config c = store.byIdentity(identity.id()).orElse(null);
        if (c == null) {
            logins.failed(NAME, identity, ip, userAgent, "Kubernetes auth is not configured for the identity");
            throw ApiException.unauthorized("Invalid credentials");
        }
        KubernetesServiceAccount account;
        try {
            account = authenticate(identity, c, jwt.trim());
            account.requireAllowed(c.allowedNamespaces(), c.allowedNames(), c.allowedAudience());
        } catch (KubernetesRejection e) {
            logins.failed(NAME, identity, ip, userAgent, e.getMessage());
            throw ApiException.unauthorized("Failed to authenticate identity with Kubernetes: " + e.publicReason());
        }
        return tx.execute(st -> {
            AccessTokenService.IssuedToken t =
                    tokens.issue(identity.id(), NAME, null, null, c.common().settings(json));
            logins.succeeded(
                    NAME,
                    identity,
                    ip,
                    userAgent,
                    Map.of(
                            "identityId",
                            identity.id(),
                            "identityKubernetesAuthId",
                            c.id(),
                            "namespace",
                            account.namespace(),
                            "name",
                            account.name()));
            return t;
        });
    }

    private KubernetesServiceAccount authenticate(Identity identity, KubernetesAuthStore.Config c, String jwt) {
        if (jwt.isEmpty()) {
            throw new KubernetesRejection("no token");
        }
        if (jwt.length() > MAX_TOKEN_CHARS || !KubernetesAuthSettings.isTokenShaped(jwt)) {
            throw new KubernetesRejection("malformed token");
        }
        if (c.mode().equals(KubernetesAuthSettings.JWKS)) {
            return jwtVerifier.verify(
                    jwt,
                    new KubernetesJwtVerifier.Keys(
                            c.issuer(), c.caCert(), c.jwksUrl(), json.readValue(c.publicKeysJson(), STRINGS)));
        }
        // as in Infisical: without a reviewer token the caller's own token must be allowed to review
        String bearer = c.sealedReviewerJwt() == null
                ? jwt
                : keyring.openForOrg(
                        identity.orgId(), KubernetesAuthSettings.reviewerPurpose(c.id()), c.sealedReviewerJwt());
        return tokenReview.review(c.kubernetesHost(), c.caCert(), bearer, jwt, c.allowedAudience());
    }

    /** Infisical's fields, less the reviewer token (only whether one is set), plus the jwks-mode fields. */
    @Override
    public Map<String, Object> view(Identity identity, KubernetesAuthStore.Config c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("identityId", c.identityId());
        m.put("tokenReviewMode", c.mode());
        m.put("kubernetesHost", c.kubernetesHost());
        m.put("caCert", c.caCert());
        m.put("hasTokenReviewerJwt", c.sealedReviewerJwt() != null);
        m.put("allowedNamespaces", c.allowedNamespaces());
        m.put("allowedNames", c.allowedNames());
        m.put("allowedAudience", c.allowedAudience());
        m.put("gatewayId", null);
        m.put("issuer", c.issuer());
        m.put("jwksUrl", c.jwksUrl());
        m.put("publicKeys", json.readValue(c.publicKeysJson(), STRINGS));
        c.common().putInto(m, json);
        m.put("createdAt", Iso.of(c.createdAt()));
        m.put("updatedAt", Iso.of(c.updatedAt()));
        return m;
    }
}
