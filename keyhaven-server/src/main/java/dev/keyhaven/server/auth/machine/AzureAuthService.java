package dev.keyhaven.server.auth.machine;

import dev.keyhaven.server.access.PermissionService;
import dev.keyhaven.server.auth.Actor;
import dev.keyhaven.server.platform.db.Ids;
import dev.keyhaven.server.platform.json.Iso;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.platform.web.ValidationException;
import java.time.Clock;
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
public class AzureAuthService implements MachineAuthMethod {
    public static final String NAME = "azure-auth";
    private static final JwtLogin.Method METHOD = new JwtLogin.Method(NAME, "Azure", "azure", "identityAzureAuthId");
    private static final JwtVerifier.Bounds NO_BOUNDS = new JwtVerifier.Bounds("", "", "", Map.of());

    private final AzureAuthStore store;
    private final IdentityService identities;
    private final AccessTokenService tokens;
    private final PermissionService permissions;
    private final JwtLogin jwtLogin;
    private final JwksCache jwks;
    private final CloudKeyEndpoints endpoints;
    private final AuthConfigChanges changes;
    private final ObjectMapper json;
    private final Clock clock;

    AzureAuthService(AzureAuthStore store, IdentityService identities, AccessTokenService tokens,
            PermissionService permissions, JwtLogin jwtLogin, JwksCache jwks, CloudKeyEndpoints endpoints,
            AuthConfigChanges changes, ObjectMapper json, Clock clock) {
        this.store = store;
        this.identities = identities;
        this.tokens = tokens;
        this.permissions = permissions;
        this.jwtLogin = jwtLogin;
        this.jwks = jwks;
        this.endpoints = endpoints;
        this.changes = changes;
        this.json = json;
        this.clock = clock;
    }

    /** The attach/update body; on update absent fields keep their value. */
    public record Settings(String tenantId, String resource, String allowedServicePrincipalIds, Long accessTokenTTL,
            Long accessTokenMaxTTL, Long accessTokenNumUsesLimit, List<Map<String, Object>> accessTokenTrustedIps) {
        static final Settings EMPTY = new Settings(null, null, null, null, null, null, null);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean isAttached(String identityId) {
        return store.byIdentity(identityId).isPresent();
    }

    public Map<String, Object> attach(Actor actor, String identityId, Settings s) {
        permissions.org(actor).require("identity", "create");
        Identity identity = identities.load(actor, identityId);
        if (store.byIdentity(identity.id()).isPresent()) {
            throw ApiException.badRequest("The identity already has Azure auth configured");
        }
        long now = clock.millis();
        AzureAuthStore.Config c = build(Ids.newId(), identity.id(), s, null, now, now);
        changes.apply(actor, "add-identity-azure-auth", identity.id(), () -> {
            store.insert(c);
        });
        return view(c);
    }

    public Map<String, Object> get(Actor actor, String identityId) {
        permissions.org(actor).require("identity", "read");
        return view(config(actor, identityId));
    }

    public Map<String, Object> update(Actor actor, String identityId, Settings s) {
        permissions.org(actor).require("identity", "edit");
        AzureAuthStore.Config c = config(actor, identityId);
        AzureAuthStore.Config updated = build(c.id(), c.identityId(), s, c, c.createdAt(), clock.millis());
        changes.apply(actor, "update-identity-azure-auth", identityId, () -> {
            store.update(updated);
        });
        return view(updated);
    }

    /** Detaches Azure auth; every token issued through it stops working on its next request. */
    public Map<String, Object> detach(Actor actor, String identityId) {
        permissions.org(actor).require("identity", "edit");
        AzureAuthStore.Config c = config(actor, identityId);
        changes.apply(actor, "revoke-identity-azure-auth", identityId, () -> {
            tokens.revokeForMethod(identityId, NAME);
            store.delete(c.id());
        });
        return view(c);
    }

    public AccessTokenService.IssuedToken login(String identityId, String jwt, String ip, String userAgent) {
        return jwtLogin.login(METHOD, identityId, jwt, ip, userAgent, id -> store.byIdentity(id).map(c ->
                new JwtLogin.Target(c.id(), refresh -> jwks.keys(endpoints.entraKeys(c.tenantId()), null, refresh),
                        NO_BOUNDS, c.common().settings(json), new AzureTokenRules(c))));
    }

    private AzureAuthStore.Config build(String id, String identityId, Settings s, AzureAuthStore.Config cur,
            long created, long now) {
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
        CommonTokenConfig common = CommonTokenConfig.resolve(s.accessTokenTTL(), s.accessTokenMaxTTL(),
                s.accessTokenNumUsesLimit(), s.accessTokenTrustedIps(), cur == null ? null : cur.common(), json);
        return new AzureAuthStore.Config(id, identityId, tenant, resource, principals, common, created, now);
    }

    private AzureAuthStore.Config config(Actor actor, String identityId) {
        Identity identity = identities.load(actor, identityId);
        return store.byIdentity(identity.id())
                .orElseThrow(() -> ApiException.notFound("The identity has no Azure auth configured"));
    }

    private Map<String, Object> view(AzureAuthStore.Config c) {
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
