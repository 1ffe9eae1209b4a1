package dev.keyhaven.server.identity;

import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgSubject;
import dev.keyhaven.server.access.PermissionService;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.audit.AuditEvent;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.audit.AuditLog;
import dev.keyhaven.server.platform.db.Ids;
import dev.keyhaven.server.platform.json.Iso;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.platform.web.ValidationException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * Token auth: named access tokens issued directly to an identity by someone allowed to, with the
 * identity's token-auth configuration deciding their lifetime, use limit and trusted IPs. There is
 * no login route: the token is the credential. Configuration follows the org {@code identity}
 * permission (create/read/edit); the tokens themselves need {@code create-token}, {@code get-token}
 * and {@code delete-token} on {@code identity}, which only the org admin role (or a custom role
 * granting them) has. Nobody may act as an identity that can do more than they can: attaching,
 * updating or detaching token auth, and minting, renaming or revoking a token, also pass the
 * identity's permission boundary (the actor holds at least everything the identity holds), the
 * same boundary every auth method and every client secret passes. The permission alone would not
 * do: an org member may configure identities, and configuring another method (universal auth, or
 * JWT auth with its own key) is minting a credential too.
 */
@Service
public class TokenAuthService implements MachineAuthMethod<TokenAuthService.Settings, TokenAuthStore.Config> {
    public static final String NAME = "token-auth";
    private final TokenAuthStore store;
    private final MethodConfigs configs;
    private final IdentityService identities;
    private final AccessTokenService tokens;
    private final PermissionService permissions;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final Clock clock;

    public TokenAuthService(
            TokenAuthStore store,
            MethodConfigs configs,
            IdentityService identities,
            AccessTokenService tokens,
            PermissionService permissions,
            AuditLog audit,
            TransactionTemplate tx,
            ObjectMapper json,
            Clock clock) {
        this.store = store;
        this.configs = configs;
        this.identities = identities;
        this.tokens = tokens;
        this.permissions = permissions;
        this.audit = audit;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
    }

    /** The attach/update body; absent fields take the defaults (attach) or keep their value (update). */
    public record Settings(
            Long accessTokenTTL,
            Long accessTokenMaxTTL,
            Long accessTokenNumUsesLimit,
            List<Map<String, Object>> accessTokenTrustedIps) {
        static final Settings EMPTY = new Settings(null, null, null, null);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AuthMethodEvents events() {
        return new AuthMethodEvents(
                AuditEventType.ADD_IDENTITY_TOKEN_AUTH,
                AuditEventType.UPDATE_IDENTITY_TOKEN_AUTH,
                AuditEventType.REVOKE_IDENTITY_TOKEN_AUTH);
    }

    @Override
    public String label() {
        return "token";
    }

    @Override
    public MethodConfigStore<TokenAuthStore.Config> store() {
        return store;
    }

    @Override
    public TokenAuthStore.Config create(String id, Identity identity, Settings s, long now) {
        return new TokenAuthStore.Config(id, identity.id(), common(s, null), now, now);
    }

    @Override
    public TokenAuthStore.Config change(TokenAuthStore.Config c, Identity identity, Settings s, long now) {
        return new TokenAuthStore.Config(c.id(), c.identityId(), common(s, c.common()), c.createdAt(), now);
    }

    /** Attaches token auth whose tokens live {@code ttlSeconds} (0: never expire) and issues one named token (bootstrap). */
    public String attachAndIssue(String identityId, String tokenName, long ttlSeconds) {
        long now = clock.millis();
        // ttl and max ttl alike, so renewing cannot stretch the token past ttlSeconds (0: no expiry)
        CommonTokenConfig common =
                new CommonTokenConfig(ttlSeconds, ttlSeconds, 0, json.writeValueAsString(TrustedIps.ANYWHERE));
        store.insert(new TokenAuthStore.Config(Ids.newId(), identityId, common, now, now));
        return tokens.issue(identityId, NAME, null, tokenName, common.settings(json))
                .accessToken();
    }

    public Map<String, Object> createToken(Actor actor, String identityId, String name) {
        permissions.org(actor).require(OrgSubject.IDENTITY, OrgAction.CREATE_TOKEN);
        TokenAuthStore.Config c = configs.loadForChange(actor, identityId, this);
        String tokenName = checkName(name);
        AccessTokenService.IssuedToken issued = tx.execute(st -> {
            AccessTokenService.IssuedToken t =
                    tokens.issue(identityId, NAME, null, tokenName, c.common().settings(json));
            audit.record(AuditEvent.of(
                    actor,
                    null,
                    null,
                    AuditEventType.CREATE_TOKEN_IDENTITY_TOKEN_AUTH,
                    Map.of("identityId", identityId, "tokenId", t.tokenId())));
            return t;
        });
        Map<String, Object> out = new LinkedHashMap<>(issued.toResponse());
        out.put("tokenData", tokenView(store.token(issued.tokenId()).orElseThrow()));
        return out;
    }

    public List<Map<String, Object>> listTokens(Actor actor, String identityId) {
        permissions.org(actor).require(OrgSubject.IDENTITY, OrgAction.GET_TOKEN);
        TokenAuthStore.Config c = configs.load(actor, identityId, this);
        return store.activeTokens(c.identityId()).stream().map(this::tokenView).toList();
    }

    public Map<String, Object> renameToken(Actor actor, String tokenId, String name) {
        permissions.org(actor).require(OrgSubject.IDENTITY, OrgAction.EDIT);
        TokenAuthStore.TokenData t = token(actor, tokenId);
        identities.loadForChange(actor, t.identityId());
        String tokenName = checkName(name);
        tx.executeWithoutResult(st -> {
            store.rename(t.id(), tokenName, clock.millis());
            audit.record(AuditEvent.of(
                    actor,
                    null,
                    null,
                    AuditEventType.UPDATE_TOKEN_IDENTITY_TOKEN_AUTH,
                    Map.of("identityId", t.identityId(), "tokenId", t.id())));
        });
        return tokenView(store.token(t.id()).orElseThrow());
    }

    public void revokeToken(Actor actor, String tokenId) {
        permissions.org(actor).require(OrgSubject.IDENTITY, OrgAction.DELETE_TOKEN);
        TokenAuthStore.TokenData t = token(actor, tokenId);
        identities.loadForChange(actor, t.identityId());
        tx.executeWithoutResult(st -> {
            tokens.revokeById(t.id());
            audit.record(AuditEvent.of(
                    actor,
                    null,
                    null,
                    AuditEventType.REVOKE_TOKEN_IDENTITY_TOKEN_AUTH,
                    Map.of("identityId", t.identityId(), "tokenId", t.id())));
        });
    }

    private TokenAuthStore.TokenData token(Actor actor, String tokenId) {
        TokenAuthStore.TokenData t =
                Ids.looksLikeId(tokenId) ? store.token(tokenId).orElse(null) : null;
        if (t == null || t.revoked()) {
            throw ApiException.notFound("Token with ID " + tokenId + " not found");
        }
        // another org's token is reported exactly like a missing one
        try {
            identities.load(actor, t.identityId());
        } catch (ApiException e) {
            throw ApiException.notFound("Token with ID " + tokenId + " not found");
        }
        return t;
    }

    private static String checkName(String name) {
        String n = name == null ? "" : name.trim();
        if (n.length() > 128) {
            throw ValidationException.field("name", "String must contain at most 128 character(s)");
        }
        return n.isEmpty() ? null : n;
    }

    private CommonTokenConfig common(Settings s, CommonTokenConfig current) {
        return CommonTokenConfig.resolve(
                s.accessTokenTTL(),
                s.accessTokenMaxTTL(),
                s.accessTokenNumUsesLimit(),
                s.accessTokenTrustedIps(),
                current,
                json);
    }

    @Override
    public Map<String, Object> view(Identity identity, TokenAuthStore.Config c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("identityId", c.identityId());
        c.common().putInto(m, json);
        m.put("createdAt", Iso.of(c.createdAt()));
        m.put("updatedAt", Iso.of(c.updatedAt()));
        return m;
    }

    private Map<String, Object> tokenView(TokenAuthStore.TokenData t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("name", t.name());
        m.put("identityId", t.identityId());
        m.put("authMethod", NAME);
        m.put("accessTokenTTL", t.ttl());
        m.put("accessTokenMaxTTL", t.maxTtl());
        m.put("accessTokenNumUses", t.numUses());
        m.put("accessTokenNumUsesLimit", t.numUsesLimit());
        m.put("accessTokenLastRenewedAt", t.lastRenewedAt() == null ? null : Iso.of(t.lastRenewedAt()));
        m.put("isAccessTokenRevoked", t.revoked());
        m.put("createdAt", Iso.of(t.createdAt()));
        m.put("updatedAt", Iso.of(t.updatedAt()));
        return m;
    }
}
