package dev.keyhaven.server.identity;

import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.platform.json.Iso;
import dev.keyhaven.server.platform.outbound.OutboundHttp;
import dev.keyhaven.server.platform.web.ValidationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * OIDC auth: an identity logs in with an ID token from an OpenID provider; the keys come from the
 * provider's discovery document ({@code jwks_uri}), fetched through {@link OutboundHttp} and cached,
 * and the token must match the bound issuer, audiences, subject glob and claim globs. Every refusal
 * is a 401 audited with its reason.
 */
@Service
public class OidcAuthService implements MachineAuthMethod<OidcAuthService.Settings, OidcAuthStore.Config> {
    public static final String NAME = "oidc-auth";
    private static final JwtLogin.Method METHOD = new JwtLogin.Method(NAME, "OIDC", "oidc", "identityOidcAuthId");
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

    private final OidcAuthStore store;
    private final MethodConfigs configs;
    private final JwtLogin jwtLogin;
    private final JwksCache jwks;
    private final ObjectMapper json;

    public OidcAuthService(
            OidcAuthStore store, MethodConfigs configs, JwtLogin jwtLogin, JwksCache jwks, ObjectMapper json) {
        this.store = store;
        this.configs = configs;
        this.jwtLogin = jwtLogin;
        this.jwks = jwks;
        this.json = json;
    }

    /** The attach/update body; on update absent fields keep their value. */
    public record Settings(
            String oidcDiscoveryUrl,
            String caCert,
            String boundIssuer,
            String boundAudiences,
            Map<String, Object> boundClaims,
            String boundSubject,
            Long accessTokenTTL,
            Long accessTokenMaxTTL,
            Long accessTokenNumUsesLimit,
            List<Map<String, Object>> accessTokenTrustedIps) {
        static final Settings EMPTY = new Settings(null, null, null, null, null, null, null, null, null, null);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AuthMethodEvents events() {
        return new AuthMethodEvents(
                AuditEventType.ADD_IDENTITY_OIDC_AUTH,
                AuditEventType.UPDATE_IDENTITY_OIDC_AUTH,
                AuditEventType.REVOKE_IDENTITY_OIDC_AUTH);
    }

    @Override
    public String label() {
        return "OIDC";
    }

    @Override
    public MethodConfigStore<OidcAuthStore.Config> store() {
        return store;
    }

    @Override
    public OidcAuthStore.Config create(String id, Identity identity, Settings s, long now) {
        return build(id, identity.id(), s, null, now, now);
    }

    @Override
    public OidcAuthStore.Config change(OidcAuthStore.Config c, Identity identity, Settings s, long now) {
        return build(c.id(), c.identityId(), s, c, c.createdAt(), now);
    }

    public AccessTokenService.IssuedToken login(String identityId, String jwt, String ip, String userAgent) {
        return jwtLogin.login(
                METHOD,
                identityId,
                jwt,
                ip,
                userAgent,
                id -> store.byIdentity(id)
                        .map(c -> new JwtLogin.Target(
                                c.id(),
                                refresh -> jwks.keys(
                                        jwks.jwksUri(c.discoveryUrl(), c.caCert(), refresh), c.caCert(), refresh),
                                new JwtVerifier.Bounds(
                                        c.boundIssuer(),
                                        c.boundAudiences(),
                                        c.boundSubject(),
                                        json.readValue(c.boundClaimsJson(), OBJECT)),
                                c.common().settings(json))));
    }

    private OidcAuthStore.Config build(
            String id, String identityId, Settings s, OidcAuthStore.Config cur, long created, long now) {
        String url = MethodConfigs.pick(s.oidcDiscoveryUrl(), cur == null ? null : cur.discoveryUrl());
        if (url.isEmpty()) {
            throw ValidationException.required("oidcDiscoveryUrl");
        }
        JwtAuthService.checkUrl("oidcDiscoveryUrl", url);
        String caCert = MethodConfigs.pick(s.caCert(), cur == null ? null : cur.caCert());
        if (!caCert.isBlank()) {
            try {
                OutboundHttp.checkCaCert(caCert);
            } catch (OutboundHttp.OutboundException e) {
                throw ValidationException.field("caCert", e.getMessage());
            }
        }
        String issuer = MethodConfigs.pick(s.boundIssuer(), cur == null ? null : cur.boundIssuer());
        if (issuer.isEmpty()) {
            throw ValidationException.required("boundIssuer");
        }
        Map<String, Object> claims = s.boundClaims() != null
                ? s.boundClaims()
                : cur == null ? Map.of() : json.readValue(cur.boundClaimsJson(), OBJECT);
        for (Map.Entry<String, Object> e : claims.entrySet()) {
            if (!(e.getValue() instanceof String)) {
                throw ValidationException.field("boundClaims." + e.getKey(), "Expected string");
            }
        }
        CommonTokenConfig common = CommonTokenConfig.resolve(
                s.accessTokenTTL(),
                s.accessTokenMaxTTL(),
                s.accessTokenNumUsesLimit(),
                s.accessTokenTrustedIps(),
                cur == null ? null : cur.common(),
                json);
        return new OidcAuthStore.Config(
                id,
                identityId,
                url,
                caCert,
                issuer,
                MethodConfigs.pick(s.boundAudiences(), cur == null ? null : cur.boundAudiences()),
                json.writeValueAsString(claims),
                MethodConfigs.pick(s.boundSubject(), cur == null ? null : cur.boundSubject()),
                common,
                created,
                now);
    }

    @Override
    public Map<String, Object> view(Identity identity, OidcAuthStore.Config c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("identityId", c.identityId());
        m.put("oidcDiscoveryUrl", c.discoveryUrl());
        m.put("caCert", c.caCert());
        m.put("boundIssuer", c.boundIssuer());
        m.put("boundAudiences", c.boundAudiences());
        m.put("boundClaims", json.readValue(c.boundClaimsJson(), OBJECT));
        m.put("boundSubject", c.boundSubject());
        c.common().putInto(m, json);
        m.put("createdAt", Iso.of(c.createdAt()));
        m.put("updatedAt", Iso.of(c.updatedAt()));
        return m;
    }
}
