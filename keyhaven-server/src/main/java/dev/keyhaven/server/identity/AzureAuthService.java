package dev.keyhaven.server.identity;

import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.platform.json.Iso;
import dev.keyhaven.server.platform.web.ValidationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import tools.jackson.databind.ObjectMapper;

/**
 * Azure auth: a workload with a managed identity logs in with the access token Azure's instance
 * metadata service gives it for the configured resource. The token is verified against the
 * tenant's Entra ID keys (under {@code KEYHAVEN_AZURE_LOGIN_URL}) and must name the configured
 * tenant, resource and, when the list is set, an allowed service principal ({@code oid}).
 */
@Service
public class AzureAuthService implements MachineAuthMethod<AzureAuthService.Settings, AzureAuthStore.Config> {
    public static final String NAME = "azure-auth";
    private static final JwtLogin.Method METHOD = new JwtLogin.Method(NAME, "Azure", "azure", "identityAzureAuthId");
    private static final JwtVerifier.Bounds NO_BOUNDS = new JwtVerifier.Bounds("", "", "", Map.of());

    private final AzureAuthStore store;
    private final MethodConfigs configs;
    private final JwtLogin jwtLogin;
    private final JwksCache jwks;
    private final CloudKeyEndpoints endpoints;
    private final ObjectMapper json;

    AzureAuthService(
            AzureAuthStore store,
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
            String tenantId,
            String resource,
            String allowedServicePrincipalIds,
            Long accessTokenTTL,
            Long accessTokenMaxTTL,
            Long accessTokenNumUsesLimit,
            List<Map<String, Object>> accessTokenTrustedIps) {
        static final Settings EMPTY = new Settings(null, null, null, null, null, null, null);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AuthMethodEvents events() {
        return new AuthMethodEvents(
                AuditEventType.ADD_IDENTITY_AZURE_AUTH,
                AuditEventType.UPDATE_IDENTITY_AZURE_AUTH,
                AuditEventType.REVOKE_IDENTITY_AZURE_AUTH);
    }

    @Override
    public String label() {
        return "Azure";
    }

    @Override
    public MethodConfigStore<AzureAuthStore.Config> store() {
        return store;
    }

    @Override
    public AzureAuthStore.Config create(String id, Identity identity, Settings s, long now) {
        return build(id, identity.id(), s, null, now, now);
    }

    @Override
    public AzureAuthStore.Config change(AzureAuthStore.Config c, Identity identity, Settings s, long now) {
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
                                refresh -> jwks.keys(endpoints.entraKeys(c.tenantId()), null, refresh),
                                NO_BOUNDS,
                                c.common().settings(json),
                                new AzureTokenRules(c))));
    }

    private AzureAuthStore.Config build(
            String id, String identityId, Settings s, AzureAuthStore.Config cur, long created, long now) {
        String tenant = s.tenantId() != null ? s.tenantId().trim() : cur == null ? "" : cur.tenantId();
        if (tenant.isEmpty()) {
            throw ValidationException.required("tenantId");
        }
        if (!CloudKeyEndpoints.TENANT_ID.matcher(tenant).matches()) {
            throw ValidationException.field("tenantId", "Expected the tenant's directory id (a GUID)");
        }
        String resource = s.resource() != null ? s.resource().trim() : cur == null ? "" : cur.resource();
        if (resource.isEmpty()) {
            throw ValidationException.required("resource");
        }
        String principals = s.allowedServicePrincipalIds() != null
                ? AllowList.normalise(s.allowedServicePrincipalIds())
                : cur == null ? "" : cur.allowedServicePrincipalIds();
        CommonTokenConfig common = CommonTokenConfig.resolve(
                s.accessTokenTTL(),
                s.accessTokenMaxTTL(),
                s.accessTokenNumUsesLimit(),
                s.accessTokenTrustedIps(),
                cur == null ? null : cur.common(),
                json);
        return new AzureAuthStore.Config(id, identityId, tenant, resource, principals, common, created, now);
    }

    @Override
    public Map<String, Object> view(Identity identity, AzureAuthStore.Config c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("identityId", c.identityId());
        m.put("tenantId", c.tenantId());
        m.put("resource", c.resource());
        m.put("allowedServicePrincipalIds", c.allowedServicePrincipalIds());
        c.common().putInto(m, json);
        m.put("createdAt", Iso.of(c.createdAt()));
        m.put("updatedAt", Iso.of(c.updatedAt()));
        return m;
    }
}
