package dev.keyhaven.server.identity;

import com.nimbusds.jose.jwk.JWK;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.platform.json.Iso;
import dev.keyhaven.server.platform.outbound.OutboundHttp;
import dev.keyhaven.server.platform.web.ValidationException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * JWT auth: an identity logs in with a JWT signed by an issuer the operator trusts, given either as
 * static PEM public keys or as a JWKS URL (fetched through {@link OutboundHttp}), and bound to an
 * issuer, audiences, a subject glob and claim globs. Every refusal is a 401 audited with its reason.
 */
@Service
public class JwtAuthService implements MachineAuthMethod<JwtAuthService.Settings, JwtAuthStore.Config> {
    public static final String NAME = "jwt-auth";
    private static final JwtLogin.Method METHOD = new JwtLogin.Method(NAME, "JWT", "jwt", "identityJwtAuthId");
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

    private final JwtAuthStore store;
    private final MethodConfigs configs;
    private final JwtLogin jwtLogin;
    private final JwksCache jwks;
    private final ObjectMapper json;

    public JwtAuthService(
            JwtAuthStore store, MethodConfigs configs, JwtLogin jwtLogin, JwksCache jwks, ObjectMapper json) {
        this.store = store;
        this.configs = configs;
        this.jwtLogin = jwtLogin;
        this.jwks = jwks;
        this.json = json;
    }

    /** The attach/update body; on update absent fields keep their value. */
    public record Settings(
            String configurationType,
            String jwksUrl,
            String jwksCaCert,
            List<String> publicKeys,
            String boundIssuer,
            String boundAudiences,
            Map<String, Object> boundClaims,
            String boundSubject,
            Long accessTokenTTL,
            Long accessTokenMaxTTL,
            Long accessTokenNumUsesLimit,
            List<Map<String, Object>> accessTokenTrustedIps) {
        static final Settings EMPTY =
                new Settings(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AuthMethodEvents events() {
        return new AuthMethodEvents(
                AuditEventType.ADD_IDENTITY_JWT_AUTH,
                AuditEventType.UPDATE_IDENTITY_JWT_AUTH,
                AuditEventType.REVOKE_IDENTITY_JWT_AUTH);
    }

    @Override
    public String label() {
        return "JWT";
    }

    @Override
    public MethodConfigStore<JwtAuthStore.Config> store() {
        return store;
    }

    @Override
    public JwtAuthStore.Config create(String id, Identity identity, Settings s, long now) {
        if (s.configurationType() == null) {
            throw ValidationException.required("configurationType");
        }
        return build(id, identity.id(), s, null, now, now);
    }

    @Override
    public JwtAuthStore.Config change(JwtAuthStore.Config c, Identity identity, Settings s, long now) {
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
                                keySource(c),
                                new JwtVerifier.Bounds(
                                        c.boundIssuer(),
                                        c.boundAudiences(),
                                        c.boundSubject(),
                                        json.readValue(c.boundClaimsJson(), OBJECT)),
                                c.common().settings(json))));
    }

    private JwtVerifier.KeySource keySource(JwtAuthStore.Config c) {
        if (c.configurationType().equals("static")) {
            List<JWK> keys = new ArrayList<>();
            for (String pem : json.readValue(c.publicKeysJson(), STRINGS)) {
                keys.addAll(JwtVerifier.parsePem(pem));
            }
            return refresh -> keys;
        }
        return refresh -> jwks.keys(c.jwksUrl(), c.jwksCaCert(), refresh);
    }

    private JwtAuthStore.Config build(
            String id, String identityId, Settings s, JwtAuthStore.Config cur, long created, long now) {
        String type = s.configurationType() != null ? s.configurationType() : cur.configurationType();
        if (!type.equals("static") && !type.equals("jwks")) {
            throw ValidationException.field("configurationType", "Invalid enum value. Expected 'jwks' | 'static'");
        }
        String jwksUrl = MethodConfigs.pick(s.jwksUrl(), cur == null ? "" : cur.jwksUrl());
        String caCert = MethodConfigs.pick(s.jwksCaCert(), cur == null ? "" : cur.jwksCaCert());
        List<String> publicKeys = s.publicKeys() != null
                ? s.publicKeys()
                : cur == null ? List.of() : json.readValue(cur.publicKeysJson(), STRINGS);
        if (type.equals("jwks")) {
            checkUrl("jwksUrl", jwksUrl);
            if (!caCert.isBlank()) {
                try {
                    OutboundHttp.checkCaCert(caCert);
                } catch (OutboundHttp.OutboundException e) {
                    throw ValidationException.field("jwksCaCert", e.getMessage());
                }
            }
        } else {
            if (publicKeys.isEmpty()) {
                throw ValidationException.field("publicKeys", "Array must contain at least 1 element(s)");
            }
            for (int i = 0; i < publicKeys.size(); i++) {
                try {
                    JwtVerifier.parsePem(publicKeys.get(i));
                } catch (IllegalArgumentException e) {
                    throw ValidationException.field("publicKeys." + i, "Invalid public key: " + e.getMessage());
                }
            }
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
        return new JwtAuthStore.Config(
                id,
                identityId,
                type,
                jwksUrl,
                caCert,
                json.writeValueAsString(publicKeys),
                MethodConfigs.pick(s.boundIssuer(), cur == null ? "" : cur.boundIssuer()),
                MethodConfigs.pick(s.boundAudiences(), cur == null ? "" : cur.boundAudiences()),
                json.writeValueAsString(claims),
                MethodConfigs.pick(s.boundSubject(), cur == null ? "" : cur.boundSubject()),
                common,
                created,
                now);
    }

    static void checkUrl(String field, String url) {
        try {
            URI u = URI.create(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase();
            if ((scheme.equals("https") || scheme.equals("http")) && u.getHost() != null) {
                return;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw ValidationException.field(field, "Invalid url");
    }

    @Override
    public Map<String, Object> view(Identity identity, JwtAuthStore.Config c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("identityId", c.identityId());
        m.put("configurationType", c.configurationType());
        m.put("jwksUrl", c.jwksUrl());
        m.put("jwksCaCert", c.jwksCaCert());
        m.put("publicKeys", json.readValue(c.publicKeysJson(), STRINGS));
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
