package dev.keyhaven.server.identity;

import dev.keyhaven.server.access.Glob;
import dev.keyhaven.server.crypto.Keyring;
import dev.keyhaven.server.platform.log.Redaction;
import dev.keyhaven.server.platform.outbound.OutboundHttp;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.platform.web.ValidationException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Turns an attach or update request for Kubernetes auth into a stored configuration: Infisical's
 * fields and defaults ({@code tokenReviewMode} "api", {@code allowedNamespaces}, {@code allowedNames}
 * and {@code allowedAudience} required on attach), Keyhaven's "jwks" mode fields, and the rules
 * that keep the reviewer token safe: it is sealed under the org key, and a request that moves the
 * API server (host or CA) must supply it again, so nobody who can edit the configuration but never
 * saw the token can have it sent to a server of their choosing.
 */
@Component
public class KubernetesAuthSettings {
    static final String API = "api";
    static final String JWKS = "jwks";
    private static final Pattern TOKEN_CHARS = Pattern.compile("[\\x21-\\x7e]+");
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

    private final Keyring keyring;
    private final ObjectMapper json;

    KubernetesAuthSettings(Keyring keyring, ObjectMapper json) {
        this.keyring = keyring;
        this.json = json;
    }

    /**
     * The attach/update body; on update absent fields keep their value. {@code tokenReviewerJwt}:
     * absent or "" keeps the stored token, a string replaces it, {@code null} removes it.
     */
    public record Request(
            String tokenReviewMode,
            String kubernetesHost,
            String caCert,
            JsonNode tokenReviewerJwt,
            String allowedNamespaces,
            String allowedNames,
            String allowedAudience,
            String issuer,
            String jwksUrl,
            List<String> publicKeys,
            Long accessTokenTTL,
            Long accessTokenMaxTTL,
            Long accessTokenNumUsesLimit,
            List<Map<String, Object>> accessTokenTrustedIps) {
        @Override
        public String toString() {
            return Redaction.toString(this);
        }

        public static final Request EMPTY =
                new Request(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** What the reviewer token's seal is bound to: its configuration row and field. */
    static String reviewerPurpose(String configId) {
        return "identity-kubernetes-auth:" + configId + ":token-reviewer-jwt";
    }

    /** Printable ASCII without spaces: what a JWT is made of, and safe in an Authorization header. */
    static boolean isTokenShaped(String token) {
        return TOKEN_CHARS.matcher(token).matches();
    }

    KubernetesAuthStore.Config build(
            String id, Identity identity, Request s, KubernetesAuthStore.Config cur, long created, long now) {
        String mode = MethodConfigs.pick(s.tokenReviewMode(), cur == null ? API : cur.mode())
                .toLowerCase(Locale.ROOT);
        if (mode.equals("gateway")) {
            throw ValidationException.field(
                    "tokenReviewMode",
                    "Gateway mode is not supported; use 'api' (TokenReview) or 'jwks' (issuer keys)");
        }
        if (!mode.equals(API) && !mode.equals(JWKS)) {
            throw ValidationException.field("tokenReviewMode", "Invalid enum value. Expected 'api' | 'jwks'");
        }
        String host = MethodConfigs.pick(s.kubernetesHost(), cur == null ? "" : cur.kubernetesHost());
        String caCert = MethodConfigs.pick(s.caCert(), cur == null ? "" : cur.caCert());
        if (!caCert.isBlank()) {
            try {
                OutboundHttp.checkCaCert(caCert);
            } catch (OutboundHttp.OutboundException e) {
                throw ValidationException.field("caCert", e.getMessage());
            }
        }
        if (mode.equals(API)) {
            if (host.isEmpty()) {
                throw ValidationException.field(
                        "kubernetesHost", "When token review mode is set to API, a Kubernetes host must be provided");
            }
            try {
                KubernetesTokenReview.reviewUrl(host);
            } catch (IllegalArgumentException e) {
                throw ValidationException.field("kubernetesHost", e.getMessage());
            }
        }
        String namespaces =
                allowList("allowedNamespaces", s.allowedNamespaces(), cur == null ? null : cur.allowedNamespaces());
        String names = allowList("allowedNames", s.allowedNames(), cur == null ? null : cur.allowedNames());
        if (cur == null && s.allowedAudience() == null) {
            throw ValidationException.required("allowedAudience");
        }
        String audience = MethodConfigs.pick(s.allowedAudience(), cur == null ? "" : cur.allowedAudience());
        String issuer = MethodConfigs.pick(s.issuer(), cur == null ? "" : cur.issuer());
        String jwksUrl = MethodConfigs.pick(s.jwksUrl(), cur == null ? "" : cur.jwksUrl());
        List<String> publicKeys = s.publicKeys() != null
                ? s.publicKeys().stream().map(String::trim).toList()
                : cur == null ? List.of() : json.readValue(cur.publicKeysJson(), STRINGS);
        if (mode.equals(JWKS)) {
            checkJwksMode(issuer, audience, jwksUrl, publicKeys);
        }
        String sealed = reviewer(id, identity, s, cur, host, caCert);
        CommonTokenConfig common = CommonTokenConfig.resolve(
                s.accessTokenTTL(),
                s.accessTokenMaxTTL(),
                s.accessTokenNumUsesLimit(),
                s.accessTokenTrustedIps(),
                cur == null ? null : cur.common(),
                json);
        return new KubernetesAuthStore.Config(
                id,
                identity.id(),
                mode,
                host,
                caCert,
                sealed,
                namespaces,
                names,
                audience,
                issuer,
                jwksUrl,
                json.writeValueAsString(publicKeys),
                common,
                created,
                now);
    }

    private static void checkJwksMode(String issuer, String audience, String jwksUrl, List<String> publicKeys) {
        if (issuer.isEmpty()) {
            throw ValidationException.field("issuer", "Required in jwks mode: the cluster's service-account issuer");
        }
        // without a bound audience any token of the cluster (meant for any other service) would do
        if (audience.isEmpty()) {
            throw ValidationException.field(
                    "allowedAudience", "Required in jwks mode: the audience of the projected service-account token");
        }
        if (!publicKeys.isEmpty()) {
            for (int i = 0; i < publicKeys.size(); i++) {
                try {
                    JwtVerifier.parsePem(publicKeys.get(i));
                } catch (IllegalArgumentException e) {
                    throw ValidationException.field("publicKeys." + i, "Invalid public key: " + e.getMessage());
                }
            }
        } else if (!jwksUrl.isEmpty()) {
            JwtAuthService.checkUrl("jwksUrl", jwksUrl);
        } else {
            JwtAuthService.checkUrl("issuer", issuer);
        }
    }

    /** The sealed reviewer token after this request. */
    private String reviewer(
            String id, Identity identity, Request s, KubernetesAuthStore.Config cur, String host, String caCert) {
        String sealed = cur == null ? null : cur.sealedReviewerJwt();
        JsonNode given = s.tokenReviewerJwt();
        boolean supplied = false;
        if (given != null && given.isNull()) {
            sealed = null;
            supplied = true;
        } else if (given != null && given.isString()) {
            String token = given.asString().trim();
            if (!token.isEmpty()) {
                if (token.length() > KubernetesAuthService.MAX_TOKEN_CHARS || !isTokenShaped(token)) {
                    throw ValidationException.field("tokenReviewerJwt", "Invalid token");
                }
                sealed = keyring.sealForOrg(identity.orgId(), reviewerPurpose(id), token);
                supplied = true;
            }
        } else if (given != null && !given.isMissingNode()) {
            throw ValidationException.invalidType(
                    "tokenReviewerJwt", "string", given.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        if (cur != null
                && !supplied
                && sealed != null
                && (!host.equals(cur.kubernetesHost()) || !caCert.equals(cur.caCert()))) {
            throw ApiException.badRequest("Changing kubernetesHost or caCert requires tokenReviewerJwt in the same "
                    + "request (or null to remove it): the stored reviewer token is only sent to the API server it "
                    + "was configured for");
        }
        return sealed;
    }

    /** An allow-list: required on attach (as in Infisical), every entry a valid glob. */
    private static String allowList(String field, String value, String current) {
        if (current == null && value == null) {
            throw ValidationException.required(field);
        }
        String list = MethodConfigs.pick(value, current);
        for (String entry : KubernetesServiceAccount.entries(list)) {
            try {
                Glob.compile(entry);
            } catch (IllegalArgumentException e) {
                throw ValidationException.field(field, e.getMessage());
            }
        }
        return list;
    }
}
