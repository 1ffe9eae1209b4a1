package dev.keyhaven.server.identity;

import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgSubject;
import dev.keyhaven.server.access.PermissionService;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.audit.AuditEvent;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.audit.AuditLog;
import dev.keyhaven.server.crypto.SecretDigests;
import dev.keyhaven.server.platform.db.Ids;
import dev.keyhaven.server.platform.json.Iso;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.platform.web.ValidationException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Universal Auth: a client id and client secrets per identity. Client secrets are 256 random bits
 * shown once and stored as keyed digests, so a login costs one indexed lookup instead of a slow
 * hash; repeated failures from one address lock the method for that address.
 */
@Service
public class UniversalAuthService implements MachineAuthMethod<UniversalAuthSettings, UniversalAuthStore.Config> {
    public static final String NAME = "universal-auth";
    private static final Logger log = LoggerFactory.getLogger(UniversalAuthService.class);
    private static final TypeReference<List<Map<String, Object>>> IP_LIST = new TypeReference<>() {};

    private final UniversalAuthStore store;
    private final MethodConfigs configs;
    private final LoginRateLimits rateLimits;
    private final IdentityService identities;
    private final AccessTokenService tokens;
    private final PermissionService permissions;
    private final SecretDigests digests;
    private final AuditLog audit;
    private final LoginAudit logins;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final Clock clock;

    public UniversalAuthService(
            UniversalAuthStore store,
            MethodConfigs configs,
            LoginRateLimits rateLimits,
            IdentityService identities,
            AccessTokenService tokens,
            PermissionService permissions,
            SecretDigests digests,
            AuditLog audit,
            LoginAudit logins,
            TransactionTemplate tx,
            ObjectMapper json,
            Clock clock) {
        this.store = store;
        this.configs = configs;
        this.rateLimits = rateLimits;
        this.identities = identities;
        this.tokens = tokens;
        this.permissions = permissions;
        this.digests = digests;
        this.audit = audit;
        this.logins = logins;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AuthMethodEvents events() {
        return new AuthMethodEvents(
                AuditEventType.ADD_IDENTITY_UNIVERSAL_AUTH,
                AuditEventType.UPDATE_IDENTITY_UNIVERSAL_AUTH,
                AuditEventType.REVOKE_IDENTITY_UNIVERSAL_AUTH);
    }

    @Override
    public String label() {
        return "universal";
    }

    @Override
    public MethodConfigStore<UniversalAuthStore.Config> store() {
        return store;
    }

    @Override
    public UniversalAuthStore.Config create(String id, Identity identity, UniversalAuthSettings s, long now) {
        return build(id, identity.id(), Ids.newId(), s, null, now, now);
    }

    @Override
    public UniversalAuthStore.Config change(
            UniversalAuthStore.Config c, Identity identity, UniversalAuthSettings s, long now) {
        return build(c.id(), c.identityId(), c.clientId(), s, c, c.createdAt(), now);
    }

    /**
     * Mints a client secret: a credential to log in as the identity, so the actor must hold at
     * least everything the identity holds (its permission boundary), as in Infisical.
     */
    public Map<String, Object> createClientSecret(
            Actor actor, String identityId, String description, Long numUsesLimit, Long ttl) {
        permissions.org(actor).require(OrgSubject.IDENTITY, OrgAction.EDIT);
        UniversalAuthStore.Config c = configs.loadForChange(actor, identityId, this);
        String secret = SecretDigests.randomHex(32);
        long now = clock.millis();
        String desc = description == null ? "" : description;
        if (desc.length() > 256) {
            throw ValidationException.field("description", "String must contain at most 256 character(s)");
        }
        UniversalAuthStore.ClientSecret cs = new UniversalAuthStore.ClientSecret(
                Ids.newId(),
                c.id(),
                desc,
                secret.substring(0, 4),
                0,
                UniversalAuthSettings.range("numUsesLimit", numUsesLimit, 0, 0, Long.MAX_VALUE),
                UniversalAuthSettings.range("ttl", ttl, 0, 0, UniversalAuthSettings.MAX_TTL),
                false,
                now,
                now);
        tx.executeWithoutResult(st -> {
            store.insertSecret(cs, digests.digest(secret));
            audit.record(AuditEvent.of(
                    actor,
                    null,
                    null,
                    AuditEventType.CREATE_IDENTITY_UNIVERSAL_AUTH_CLIENT_SECRET,
                    Map.of("identityId", identityId, "clientSecretId", cs.id())));
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("clientSecret", secret);
        out.put("clientSecretData", secretView(cs));
        return out;
    }

    public List<Map<String, Object>> listClientSecrets(Actor actor, String identityId) {
        permissions.org(actor).require(OrgSubject.IDENTITY, OrgAction.READ);
        UniversalAuthStore.Config c = configs.load(actor, identityId, this);
        return store.activeSecrets(c.id()).stream().map(this::secretView).toList();
    }

    public Map<String, Object> getClientSecret(Actor actor, String identityId, String clientSecretId) {
        permissions.org(actor).require(OrgSubject.IDENTITY, OrgAction.READ);
        UniversalAuthStore.Config c = configs.load(actor, identityId, this);
        return secretView(store.secret(c.id(), clientSecretId)
                .orElseThrow(() -> ApiException.notFound("Client secret not found")));
    }

    public Map<String, Object> revokeClientSecret(Actor actor, String identityId, String clientSecretId) {
        permissions.org(actor).require(OrgSubject.IDENTITY, OrgAction.EDIT);
        UniversalAuthStore.Config c = configs.loadForChange(actor, identityId, this);
        UniversalAuthStore.ClientSecret cs = store.secret(c.id(), clientSecretId)
                .orElseThrow(() -> ApiException.notFound("Client secret not found"));
        tx.executeWithoutResult(st -> {
            store.revokeSecret(cs.id(), clock.millis());
            tokens.revokeForClientSecret(cs.id());
            audit.record(AuditEvent.of(
                    actor,
                    null,
                    null,
                    AuditEventType.REVOKE_IDENTITY_UNIVERSAL_AUTH_CLIENT_SECRET,
                    Map.of("identityId", identityId, "clientSecretId", cs.id())));
        });
        return secretView(store.secret(c.id(), clientSecretId).orElseThrow());
    }

    public int clearLockouts(Actor actor, String identityId) {
        permissions.org(actor).require(OrgSubject.IDENTITY, OrgAction.EDIT);
        return store.clearLockouts(
                configs.loadForChange(actor, identityId, this).id());
    }

    /** Logs in with a client id and secret; every outcome but an unknown client id is audited. */
    public AccessTokenService.IssuedToken login(String clientId, String clientSecret, String ip, String userAgent) {
        if (clientId == null || clientSecret == null) {
            throw ValidationException.required(clientId == null ? "clientId" : "clientSecret");
        }
        rateLimits.check(NAME, clientId, ip);
        UniversalAuthStore.Config c = store.byClientId(clientId).orElse(null);
        if (c == null) {
            log.info("Universal auth login with an unknown client id from {}", ip);
            throw ApiException.unauthorized("Invalid credentials");
        }
        Identity identity =
                identities.find(c.identityId()).orElseThrow(() -> ApiException.unauthorized("Invalid credentials"));
        long now = clock.millis();
        if (!TrustedIps.allows(json.readValue(c.clientSecretTrustedIps(), IP_LIST), ip)) {
            logins.failed(NAME, identity, ip, userAgent, "client IP not trusted");
            throw ApiException.forbidden("Access denied: the client secret is not allowed from this IP address");
        }
        Optional<UniversalAuthStore.Lockout> lockout =
                c.lockoutEnabled() ? store.lockout(c.id(), ip) : Optional.empty();
        if (lockout.isPresent() && lockout.get().lockedUntil() > now) {
            logins.failed(NAME, identity, ip, userAgent, "locked out");
            throw ApiException.unauthorized(
                    "Failed to authenticate identity credentials: universal auth is temporarily "
                            + "locked due to too many failed login attempts. Try again later.");
        }
        UniversalAuthStore.ClientSecret cs =
                digests.find(clientSecret, d -> store.secretByDigest(c.id(), d)).orElse(null);
        if (cs == null || cs.revoked()) {
            countFailure(c, ip, lockout, now);
            logins.failed(NAME, identity, ip, userAgent, "invalid client secret");
            throw ApiException.unauthorized("Invalid credentials");
        }
        if (cs.ttl() > 0 && now > cs.createdAt() + cs.ttl() * 1000) {
            tx.executeWithoutResult(st -> store.revokeSecret(cs.id(), now));
            logins.failed(NAME, identity, ip, userAgent, "client secret expired");
            throw ApiException.unauthorized("Access denied due to expired client secret");
        }
        TokenSettings settings = new TokenSettings(
                c.common().ttl(),
                c.common().maxTtl(),
                c.common().numUsesLimit(),
                c.period(),
                json.readValue(c.common().trustedIpsJson(), IP_LIST));
        AccessTokenService.IssuedToken issued = tx.execute(st -> {
            if (!store.countSecretUse(cs.id(), now)) {
                return null;
            }
            if (lockout.isPresent()) {
                store.clearLockout(c.id(), ip);
            }
            AccessTokenService.IssuedToken t = tokens.issue(identity.id(), NAME, cs.id(), null, settings);
            logins.succeeded(
                    NAME,
                    identity,
                    ip,
                    userAgent,
                    Map.of("identityId", identity.id(), "clientSecretId", cs.id(), "identityUniversalAuthId", c.id()));
            return t;
        });
        if (issued == null) {
            tx.executeWithoutResult(st -> store.revokeSecret(cs.id(), now));
            logins.failed(NAME, identity, ip, userAgent, "client secret use limit reached");
            throw ApiException.unauthorized("Access denied due to client secret usage limit reached");
        }
        return issued;
    }

    private void countFailure(
            UniversalAuthStore.Config c, String ip, Optional<UniversalAuthStore.Lockout> current, long now) {
        if (!c.lockoutEnabled()) {
            return;
        }
        UniversalAuthStore.Lockout prev = current.orElse(null);
        boolean fresh = prev == null || now - prev.firstFailedAt() > c.lockoutCounterResetSeconds() * 1000L;
        int count = fresh ? 1 : prev.failedCount() + 1;
        long first = fresh ? now : prev.firstFailedAt();
        UniversalAuthStore.Lockout next = count >= c.lockoutThreshold()
                ? new UniversalAuthStore.Lockout(0, now, now + c.lockoutDurationSeconds() * 1000L)
                : new UniversalAuthStore.Lockout(count, first, 0);
        tx.executeWithoutResult(st -> store.saveLockout(c.id(), ip, next));
    }

    /** The configuration the request asks for; absent fields take the defaults, or keep {@code cur}'s values. */
    private UniversalAuthStore.Config build(
            String id,
            String identityId,
            String clientId,
            UniversalAuthSettings s,
            UniversalAuthStore.Config cur,
            long created,
            long now) {
        long ttl = UniversalAuthSettings.range(
                "accessTokenTTL",
                s.accessTokenTTL(),
                cur == null ? UniversalAuthSettings.DEFAULT_TTL : cur.common().ttl(),
                0,
                UniversalAuthSettings.MAX_TTL);
        long maxTtl = UniversalAuthSettings.range(
                "accessTokenMaxTTL",
                s.accessTokenMaxTTL(),
                cur == null ? UniversalAuthSettings.DEFAULT_TTL : cur.common().maxTtl(),
                0,
                UniversalAuthSettings.MAX_TTL);
        UniversalAuthSettings.checkTtls(ttl, maxTtl);
        long numUsesLimit = UniversalAuthSettings.range(
                "accessTokenNumUsesLimit",
                s.accessTokenNumUsesLimit(),
                cur == null ? 0 : cur.common().numUsesLimit(),
                0,
                Long.MAX_VALUE);
        long period = UniversalAuthSettings.range(
                "accessTokenPeriod",
                s.accessTokenPeriod(),
                cur == null ? 0 : cur.period(),
                0,
                UniversalAuthSettings.MAX_TTL);
        String clientSecretIps = ips(
                "clientSecretTrustedIps",
                s.clientSecretTrustedIps(),
                cur == null ? null : cur.clientSecretTrustedIps());
        String accessTokenIps = ips(
                "accessTokenTrustedIps",
                s.accessTokenTrustedIps(),
                cur == null ? null : cur.common().trustedIpsJson());
        return new UniversalAuthStore.Config(
                id,
                identityId,
                clientId,
                new CommonTokenConfig(ttl, maxTtl, numUsesLimit, accessTokenIps),
                period,
                clientSecretIps,
                s.lockoutEnabled() != null ? s.lockoutEnabled() : cur == null || cur.lockoutEnabled(),
                (int) UniversalAuthSettings.range(
                        "lockoutThreshold",
                        toLong(s.lockoutThreshold()),
                        cur == null ? 3 : cur.lockoutThreshold(),
                        1,
                        30),
                (int) UniversalAuthSettings.range(
                        "lockoutDurationSeconds",
                        toLong(s.lockoutDurationSeconds()),
                        cur == null ? 300 : cur.lockoutDurationSeconds(),
                        30,
                        86400),
                (int) UniversalAuthSettings.range(
                        "lockoutCounterResetSeconds",
                        toLong(s.lockoutCounterResetSeconds()),
                        cur == null ? 30 : cur.lockoutCounterResetSeconds(),
                        5,
                        3600),
                created,
                now);
    }

    private String ips(String field, List<Map<String, Object>> input, String current) {
        if (input == null && current != null) {
            return current;
        }
        return json.writeValueAsString(TrustedIps.parse(field, input));
    }

    private static Long toLong(Integer i) {
        return i == null ? null : i.longValue();
    }

    @Override
    public Map<String, Object> view(Identity identity, UniversalAuthStore.Config c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("clientId", c.clientId());
        m.put("identityId", c.identityId());
        m.put("accessTokenTTL", c.common().ttl());
        m.put("accessTokenMaxTTL", c.common().maxTtl());
        m.put("accessTokenNumUsesLimit", c.common().numUsesLimit());
        m.put("accessTokenPeriod", c.period());
        m.put("clientSecretTrustedIps", json.readValue(c.clientSecretTrustedIps(), IP_LIST));
        m.put("accessTokenTrustedIps", json.readValue(c.common().trustedIpsJson(), IP_LIST));
        m.put("lockoutEnabled", c.lockoutEnabled());
        m.put("lockoutThreshold", c.lockoutThreshold());
        m.put("lockoutDurationSeconds", c.lockoutDurationSeconds());
        m.put("lockoutCounterResetSeconds", c.lockoutCounterResetSeconds());
        m.put("createdAt", Iso.of(c.createdAt()));
        m.put("updatedAt", Iso.of(c.updatedAt()));
        return m;
    }

    private Map<String, Object> secretView(UniversalAuthStore.ClientSecret cs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", cs.id());
        m.put("description", cs.description());
        m.put("clientSecretPrefix", cs.prefix());
        m.put("clientSecretNumUses", cs.numUses());
        m.put("clientSecretNumUsesLimit", cs.numUsesLimit());
        m.put("clientSecretTTL", cs.ttl());
        m.put("identityUAId", cs.uaId());
        m.put("isClientSecretRevoked", cs.revoked());
        m.put("createdAt", Iso.of(cs.createdAt()));
        m.put("updatedAt", Iso.of(cs.updatedAt()));
        return m;
    }
}
