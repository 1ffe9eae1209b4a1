package dev.keyhaven.server.identity;

import com.nimbusds.jwt.JWTParser;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.platform.json.Iso;
import dev.keyhaven.server.platform.web.ValidationException;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import tools.jackson.databind.ObjectMapper;

/**
 * GCP auth: a workload on Google Cloud logs in with a token whose audience is its identity id.
 * Type {@code gce}: an ID token from the metadata server, signed by Google (keys at
 * {@code KEYHAVEN_GCP_JWKS_URL}). Type {@code iam}: a JWT the service account signed through the IAM
 * {@code signJwt} API, checked against that account's published keys. Either way the token must come
 * from an allowed service account, project (and, for {@code gce}, zone); at least a service-account
 * or project list is required, because anyone can have Google mint a token with any audience.
 */
@Service
public class GcpAuthService implements MachineAuthMethod<GcpAuthService.Settings, GcpAuthStore.Config> {
    public static final String NAME = "gcp-auth";
    static final String TYPE_GCE = "gce";
    static final String TYPE_IAM = "iam";
    private static final JwtLogin.Method METHOD = new JwtLogin.Method(NAME, "GCP", "gcp", "identityGcpAuthId");
    private static final JwtVerifier.Bounds NO_BOUNDS = new JwtVerifier.Bounds("", "", "", Map.of());

    private final GcpAuthStore store;
    private final MethodConfigs configs;
    private final JwtLogin jwtLogin;
    private final JwksCache jwks;
    private final CloudKeyEndpoints endpoints;
    private final ObjectMapper json;

    GcpAuthService(
            GcpAuthStore store,
            MethodConfigs configs,
            JwtLogin jwtLogin,
            JwksCache jwks,
            CloudKeyEndpoints endpoints,
            ObjectMapper json) {
        this.store = store;
        this.configs = configs;
        this.jwtLogin = jwtLogin;
        this.jwks = jwks;
        this.endpoints = endpoints;
        this.json = json;
    }

    /** The attach/update body; on update absent fields keep their value. */
    public record Settings(
            String type,
            String allowedServiceAccounts,
            String allowedProjects,
            String allowedZones,
            Long accessTokenTTL,
            Long accessTokenMaxTTL,
            Long accessTokenNumUsesLimit,
            List<Map<String, Object>> accessTokenTrustedIps) {
        static final Settings EMPTY = new Settings(null, null, null, null, null, null, null, null);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AuthMethodEvents events() {
        return new AuthMethodEvents(
                AuditEventType.ADD_IDENTITY_GCP_AUTH,
                AuditEventType.UPDATE_IDENTITY_GCP_AUTH,
                AuditEventType.REVOKE_IDENTITY_GCP_AUTH);
    }

    @Override
    public String label() {
        return "GCP";
    }

    @Override
    public MethodConfigStore<GcpAuthStore.Config> store() {
        return store;
    }

    @Override
    public GcpAuthStore.Config create(String id, Identity identity, Settings s, long now) {
        if (s.type() == null) {
            throw ValidationException.required("type");
        }
        return build(id, identity.id(), s, null, now, now);
    }

    @Override
    public GcpAuthStore.Config change(GcpAuthStore.Config c, Identity identity, Settings s, long now) {
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
                                keySource(c, jwt),
                                NO_BOUNDS,
                                c.common().settings(json),
                                new GcpTokenRules(id, c))));
    }

    private JwtVerifier.KeySource keySource(GcpAuthStore.Config c, String jwt) {
        if (c.type().equals(TYPE_GCE)) {
            return refresh -> jwks.keys(endpoints.googleIdTokenKeys(), null, refresh);
        }
        // a service account signs with its own keys: the (not yet verified) subject says whose to fetch
        return refresh -> jwks.keys(endpoints.serviceAccountKeys(serviceAccountOf(jwt)), null, refresh);
    }

    private static String serviceAccountOf(String jwt) {
        String sub;
        try {
            sub = JWTParser.parse(jwt.trim()).getJWTClaimsSet().getSubject();
        } catch (ParseException e) {
            throw new JwtVerifier.Rejected("malformed claims");
        }
        if (sub == null || !CloudKeyEndpoints.SERVICE_ACCOUNT.matcher(sub).matches()) {
            throw new JwtVerifier.Rejected("subject is not a service-account email");
        }
        return sub;
    }

    private GcpAuthStore.Config build(
            String id, String identityId, Settings s, GcpAuthStore.Config cur, long created, long now) {
        String type = s.type() != null ? s.type().trim() : cur.type();
        if (!type.equals(TYPE_IAM) && !type.equals(TYPE_GCE)) {
            throw ValidationException.field("type", "Invalid enum value. Expected 'iam' | 'gce'");
        }
        String accounts = pick(s.allowedServiceAccounts(), cur == null ? null : cur.allowedServiceAccounts());
        String projects = pick(s.allowedProjects(), cur == null ? null : cur.allowedProjects());
        String zones = pick(s.allowedZones(), cur == null ? null : cur.allowedZones());
        if (accounts.isEmpty() && projects.isEmpty()) {
            throw ValidationException.field(
                    "allowedServiceAccounts",
                    "Set allowedServiceAccounts or allowedProjects: without either, a token of any Google account would do");
        }
        if (type.equals(TYPE_IAM) && !zones.isEmpty()) {
            throw ValidationException.field("allowedZones", "allowedZones applies to type 'gce' only");
        }
        CommonTokenConfig common = CommonTokenConfig.resolve(
                s.accessTokenTTL(),
                s.accessTokenMaxTTL(),
                s.accessTokenNumUsesLimit(),
                s.accessTokenTrustedIps(),
                cur == null ? null : cur.common(),
                json);
        return new GcpAuthStore.Config(id, identityId, type, accounts, projects, zones, common, created, now);
    }

    private static String pick(String value, String current) {
        return value != null ? AllowList.normalise(value) : current == null ? "" : current;
    }

    @Override
    public Map<String, Object> view(Identity identity, GcpAuthStore.Config c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("identityId", c.identityId());
        m.put("type", c.type());
        m.put("allowedServiceAccounts", c.allowedServiceAccounts());
        m.put("allowedProjects", c.allowedProjects());
        m.put("allowedZones", c.allowedZones());
        c.common().putInto(m, json);
        m.put("createdAt", Iso.of(c.createdAt()));
        m.put("updatedAt", Iso.of(c.updatedAt()));
        return m;
    }
}
