package dev.keyhaven.server.sso;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.keyhaven.server.audit.AuditEvent;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.audit.AuditLog;
import dev.keyhaven.server.crypto.Keyring;
import dev.keyhaven.server.crypto.SecretDigests;
import dev.keyhaven.server.identity.JwksCache;
import dev.keyhaven.server.identity.JwtVerifier;
import dev.keyhaven.server.org.OrgSettings;
import dev.keyhaven.server.org.OrgSettingsService;
import dev.keyhaven.server.people.SsoSignIn;
import dev.keyhaven.server.people.UsersProperties;
import dev.keyhaven.server.platform.outbound.OutboundHttp;
import dev.keyhaven.server.platform.ratelimit.RateLimiter;
import dev.keyhaven.server.platform.text.EmailAddresses;
import dev.keyhaven.server.platform.web.ApiException;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * The OIDC authorization code flow with PKCE for people. {@link #start} makes a state, a nonce and
 * a PKCE verifier, keeps them (state and nonce as digests, the verifier sealed) bound to a random
 * browser value the caller sets as a cookie, and answers the provider's authorization URL.
 * {@link #callback} accepts the provider's answer only in the browser that started the login, once,
 * within ten minutes; exchanges the code with the verifier; checks the ID token's signature against
 * the provider's keys, its issuer, audience, expiry and nonce; and signs the person in.
 */
@Service
class OidcSsoLogin {
    static final Duration STATE_TTL = Duration.ofMinutes(10);
    static final String CALLBACK_PATH = "/api/v1/sso/oidc/callback";
    private static final Logger log = LoggerFactory.getLogger(OidcSsoLogin.class);

    private final OidcSsoStore store;
    private final OidcSsoConfigService configs;
    private final OidcProvider provider;
    private final OrgSettingsService orgs;
    private final SsoSignIn signIn;
    private final JwtVerifier verifier;
    private final JwksCache jwks;
    private final OutboundHttp http;
    private final SecretDigests digests;
    private final Keyring keyring;
    private final RateLimiter limiter;
    private final UsersProperties users;
    private final AuditLog audit;
    private final ObjectMapper json;
    private final Clock clock;

    OidcSsoLogin(
            OidcSsoStore store,
            OidcSsoConfigService configs,
            OidcProvider provider,
            OrgSettingsService orgs,
            SsoSignIn signIn,
            JwtVerifier verifier,
            JwksCache jwks,
            OutboundHttp http,
            SecretDigests digests,
            Keyring keyring,
            RateLimiter limiter,
            UsersProperties users,
            AuditLog audit,
            ObjectMapper json,
            Clock clock) {
        this.store = store;
        this.configs = configs;
        this.provider = provider;
        this.orgs = orgs;
        this.signIn = signIn;
        this.verifier = verifier;
        this.jwks = jwks;
        this.http = http;
        this.digests = digests;
        this.keyring = keyring;
        this.limiter = limiter;
        this.users = users;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
    }

    /** Where to send the browser, and the value of the cookie that binds the login to it. */
    record Started(String authorizationUrl, String browserBinding) {
        @Override
        public String toString() {
            return "Started[]";
        }
    }

    Started start(String orgSlug, String siteOrigin, String ip) {
        long wait = limiter.hit("sso-start-ip:" + ip, users.loginPerIpPerMinute());
        if (wait > 0) {
            throw ApiException.rateLimited("Too many login attempts; try again in " + wait + " s", wait);
        }
        OrgSettings org = orgs.bySlug(orgSlug)
                .orElseThrow(() -> new SsoFailure(404, "No organization with that slug uses OIDC single sign-on"));
        OidcSsoConfigService.Active config = configs.active(org.id())
                .orElseThrow(() -> new SsoFailure(404, "No organization with that slug uses OIDC single sign-on"));
        OidcProvider.Endpoints endpoints = provider.endpoints(config.row());
        String state = SecretDigests.randomHex(32);
        String nonce = SecretDigests.randomHex(32);
        String codeVerifier = SecretDigests.randomHex(32);
        String browser = SecretDigests.randomHex(32);
        String redirectUri = siteOrigin + CALLBACK_PATH;
        long now = clock.millis();
        String stateDigest = digests.digest(state);
        store.insertState(
                new OidcSsoStore.LoginState(
                        stateDigest,
                        org.id(),
                        digests.digest(browser),
                        digests.digest(nonce),
                        keyring.sealForOrg(org.id(), verifierPurpose(stateDigest), codeVerifier),
                        redirectUri,
                        now + STATE_TTL.toMillis(),
                        null),
                now);
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", config.row().clientId());
        q.put("redirect_uri", redirectUri);
        q.put("scope", "openid email profile");
        q.put("state", state);
        q.put("nonce", nonce);
        q.put("code_challenge", challenge(codeVerifier));
        q.put("code_challenge_method", "S256");
        String sep = endpoints.authorization().contains("?") ? "&" : "?";
        return new Started(endpoints.authorization() + sep + form(q), browser);
    }

    /** The provider's redirect back: {@code params} are the query parameters, {@code browser} the cookie's value. */
    SsoSignIn.SignedIn callback(
            Map<String, String> params, String browser, String ip, String userAgent, HttpServletResponse response) {
        String state = params.get("state");
        if (state == null || state.isEmpty() || state.length() > 128) {
            throw new SsoFailure("The sign-in answer has no state; start again from your organization's login page");
        }
        OidcSsoStore.LoginState row = digests.find(state, store::state)
                .orElseThrow(() -> new SsoFailure("Unknown or expired sign-in; start again"));
        String orgId = row.orgId();
        try {
            if (row.expiresAt() <= clock.millis()) {
                throw new SsoFailure("The sign-in took too long; start again");
            }
            if (browser == null || !digests.matches(browser, row.browserDigest())) {
                throw new SsoFailure("This sign-in was started in another browser; start again here");
            }
            if (row.usedAt() != null || !store.useState(row.stateDigest(), clock.millis())) {
                throw new SsoFailure("This sign-in answer was already used; start again");
            }
            if (params.get("error") != null) {
                throw new SsoFailure("The identity provider refused the sign-in: " + clip(params.get("error")));
            }
            String code = params.get("code");
            if (code == null || code.isEmpty() || code.length() > 4096) {
                throw new SsoFailure("The sign-in answer has no code");
            }
            OidcSsoConfigService.Active config =
                    configs.active(orgId).orElseThrow(() -> new SsoFailure("OIDC sign-in is turned off"));
            OidcProvider.Endpoints endpoints = provider.endpoints(config.row());
            String iss = params.get("iss");
            if (iss != null && !iss.equals(endpoints.issuer())) {
                throw new SsoFailure("The answer comes from another issuer (iss)");
            }
            String codeVerifier = keyring.openForOrg(orgId, verifierPurpose(row.stateDigest()), row.sealedVerifier());
            String idToken = exchange(endpoints, config, code, codeVerifier, row.redirectUri());
            JWTClaimsSet claims = verify(idToken, endpoints, config, row);
            SsoSignIn.Vouched who = new SsoSignIn.Vouched(
                    claims.getClaim("email") instanceof String e ? e : null,
                    verifiedFlag(claims.getClaim("email_verified")),
                    claims.getClaim("given_name") instanceof String g ? g : null,
                    claims.getClaim("family_name") instanceof String f ? f : null);
            if (who.email() == null) {
                throw new SsoFailure("The ID token has no email claim; ask for the email scope at the provider");
            }
            List<String> domains = config.domains();
            String email = EmailAddresses.normalize("email", who.email());
            if (!domains.isEmpty() && !domains.contains(EmailAddresses.domain(email))) {
                throw new SsoFailure(403, "This organization's single sign-on admits e-mail addresses at " + domains);
            }
            return signIn.signIn(orgId, "oidc", who, ip, userAgent, response);
        } catch (SsoFailure e) {
            failed(orgId, e.getMessage(), ip, userAgent);
            throw e;
        }
    }

    private String exchange(
            OidcProvider.Endpoints endpoints,
            OidcSsoConfigService.Active config,
            String code,
            String codeVerifier,
            String redirectUri) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("grant_type", "authorization_code");
        body.put("code", code);
        body.put("redirect_uri", redirectUri);
        body.put("code_verifier", codeVerifier);
        String basic = Base64.getEncoder()
                .encodeToString((enc(config.row().clientId()) + ":" + enc(config.clientSecret()))
                        .getBytes(StandardCharsets.UTF_8));
        OutboundHttp.Response res;
        try {
            res = http.post(
                    endpoints.token(),
                    List.of(
                            Map.entry("Authorization", "Basic " + basic),
                            Map.entry("Content-Type", "application/x-www-form-urlencoded"),
                            Map.entry("Accept", "application/json")),
                    form(body).getBytes(StandardCharsets.UTF_8),
                    null);
        } catch (OutboundHttp.OutboundException e) {
            throw new SsoFailure("cannot reach the provider's token endpoint: " + e.getMessage());
        }
        String error = "";
        try {
            var doc = json.readTree(res.body());
            if (res.status() == 200 && doc.path("id_token").isString()) {
                return doc.path("id_token").asString();
            }
            error = doc.path("error").asString("");
        } catch (JacksonException e) {
            // reported below by status
        }
        throw new SsoFailure("The provider did not accept the sign-in code (status " + res.status()
                + (error.isEmpty() ? "" : ", " + clip(error)) + ")");
    }

    private JWTClaimsSet verify(
            String idToken,
            OidcProvider.Endpoints endpoints,
            OidcSsoConfigService.Active config,
            OidcSsoStore.LoginState row) {
        String clientId = config.row().clientId();
        JWTClaimsSet claims;
        try {
            claims = verifier.verify(
                    idToken,
                    refresh -> jwks.keys(endpoints.jwks(), null, refresh),
                    new JwtVerifier.Bounds(endpoints.issuer(), clientId, "", Map.of()));
        } catch (JwtVerifier.Rejected e) {
            throw new SsoFailure(401, "The ID token was refused: " + e.publicReason());
        }
        if (claims.getExpirationTime() == null || claims.getIssueTime() == null || claims.getSubject() == null) {
            throw new SsoFailure(401, "The ID token was refused: it lacks exp, iat or sub");
        }
        List<String> aud = claims.getAudience();
        if (aud.size() > 1 && !clientId.equals(claims.getClaim("azp"))) {
            throw new SsoFailure(401, "The ID token was refused: several audiences and azp is not this client");
        }
        String nonce;
        try {
            nonce = claims.getStringClaim("nonce");
        } catch (ParseException e) {
            nonce = null;
        }
        if (nonce == null || !digests.matches(nonce, row.nonceDigest())) {
            throw new SsoFailure(401, "The ID token was refused: its nonce is not this sign-in's");
        }
        return claims;
    }

    private void failed(String orgId, String reason, String ip, String userAgent) {
        log.info("OIDC sign-in failed from {}: {}", ip, reason);
        audit.record(new AuditEvent(
                orgId,
                null,
                null,
                "platform",
                "sso",
                Map.of(),
                AuditEventType.SSO_LOGIN_FAILED,
                Map.of("protocol", "oidc", "reason", reason),
                ip,
                userAgent));
    }

    private static boolean verifiedFlag(Object claim) {
        return Boolean.TRUE.equals(claim) || "true".equals(claim);
    }

    private static String verifierPurpose(String stateDigest) {
        return "sso-login:" + stateDigest + ":pkce-verifier";
    }

    static String challenge(String verifier) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String form(Map<String, String> m) {
        return m.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String clip(String s) {
        String c = s.replaceAll("[^A-Za-z0-9_.\\- ]", "");
        return c.length() > 64 ? c.substring(0, 64) : c;
    }
}
