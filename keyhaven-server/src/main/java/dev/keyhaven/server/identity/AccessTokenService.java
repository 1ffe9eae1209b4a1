package dev.keyhaven.server.identity;

import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.actor.ActorType;
import dev.keyhaven.server.crypto.SecretDigests;
import dev.keyhaven.server.platform.db.Ids;
import dev.keyhaven.server.platform.log.Redaction;
import dev.keyhaven.server.platform.web.ApiException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Issues, checks, renews and revokes identity access tokens. A token is 256 random bits shown
 * once; only its keyed digest is stored, and every request looks it up, so a revocation (of the
 * token, its client secret, its auth method or its identity) holds on the very next request on
 * every node.
 */
@Service
public class AccessTokenService {
    /** Prefix of every access token; tokens never start with {@code st.} (a legacy service token). */
    public static final String PREFIX = "kh_at_";

    private static final TypeReference<List<Map<String, Object>>> MAP_LIST = new TypeReference<>() {};

    private final AccessTokenStore store;
    private final SecretDigests digests;
    private final ObjectMapper json;
    private final Clock clock;
    private final String anywhereJson;

    public AccessTokenService(AccessTokenStore store, SecretDigests digests, ObjectMapper json, Clock clock) {
        this.store = store;
        this.digests = digests;
        this.json = json;
        this.clock = clock;
        this.anywhereJson = json.writeValueAsString(TrustedIps.ANYWHERE);
    }

    /** What a login or renewal returns: the token and the lifetimes clients schedule renewals by. */
    public record IssuedToken(String accessToken, long expiresIn, long accessTokenMaxTTL, String tokenId) {
        @Override
        public String toString() {
            return Redaction.toString(this);
        }

        public Map<String, Object> toResponse() {
            return Map.of(
                    "accessToken",
                    accessToken,
                    "expiresIn",
                    expiresIn,
                    "accessTokenMaxTTL",
                    accessTokenMaxTTL,
                    "tokenType",
                    "Bearer");
        }
    }

    /** Creates a token; call inside the login's transaction. */
    public IssuedToken issue(String identityId, String method, String clientSecretId, String name, TokenSettings s) {
        String token = PREFIX + SecretDigests.randomHex(32);
        String ips = json.writeValueAsString(s.trustedIps() == null ? TrustedIps.ANYWHERE : s.trustedIps());
        String id = Ids.newId();
        store.insert(id, identityId, digests.digest(token), method, clientSecretId, name, s, ips, clock.millis());
        return new IssuedToken(
                token, s.period() > 0 ? s.period() : s.ttl(), s.period() > 0 ? 1_000_000_000L : s.maxTtl(), id);
    }

    /** Resolves a bearer token to its identity, enforcing revocation, lifetimes, use limits and trusted IPs. */
    public Actor authenticate(String token, String ip, String userAgent) {
        AccessTokenStore.TokenRow row = find(token);
        long now = clock.millis();
        if (row.revoked()) {
            throw ApiException.tokenError("Access token has been revoked");
        }
        if (isExpired(row, now)) {
            throw ApiException.tokenError("Access token has expired");
        }
        if (!allowedFrom(row, ip)) {
            throw ApiException.forbidden("Access denied: the access token is not allowed from this IP address");
        }
        if (row.orgRole() == null || !row.orgActive()) {
            throw ApiException.tokenError("The identity is no longer an active member of its organization");
        }
        if (row.numUsesLimit() > 0 && !store.countUse(row.id())) {
            throw ApiException.tokenError("Access token has reached its use limit");
        }
        return new Actor(
                ActorType.IDENTITY,
                row.identityId(),
                row.identityName(),
                null,
                row.orgId(),
                row.orgRole(),
                row.id(),
                ip,
                userAgent,
                metadata(row.identityMetadata()),
                row.accessEpoch());
    }

    /** Extends a token by its TTL, within its max TTL (Infisical's renewal rules). */
    public IssuedToken renew(String token, String ip) {
        AccessTokenStore.TokenRow row = find(token);
        long now = clock.millis();
        if (row.revoked()) {
            throw ApiException.tokenError("Access token has been revoked");
        }
        if (row.numUsesLimit() > 0 && row.numUses() >= row.numUsesLimit()) {
            throw ApiException.badRequest("Unable to renew because access token number of uses limit reached");
        }
        if (!allowedFrom(row, ip)) {
            throw ApiException.forbidden("Access denied: the access token is not allowed from this IP address");
        }
        long ttl = row.period() > 0 ? row.period() : row.ttl();
        long since = row.lastRenewedAt() != null ? row.lastRenewedAt() : row.createdAt();
        if (ttl > 0 && now > since + ttl * 1000) {
            throw ApiException.unauthorized("Failed to renew MI access token due to TTL expiration");
        }
        long expiresIn = ttl;
        if (row.period() == 0 && row.maxTtl() > 0 && ttl > 0) {
            long maxEnd = row.createdAt() + row.maxTtl() * 1000;
            if (now >= maxEnd) {
                throw ApiException.unauthorized("Failed to renew MI access token due to Max TTL expiration");
            }
            // A renewal never reaches past the max TTL: it is capped there (and says so in expiresIn).
            expiresIn = Math.min(ttl, (maxEnd - now) / 1000);
        }
        store.markRenewed(row.id(), now);
        return new IssuedToken(token, expiresIn, row.period() > 0 ? 1_000_000_000L : row.maxTtl(), row.id());
    }

    public void revoke(String token) {
        AccessTokenStore.TokenRow row = find(token);
        store.revoke(row.id(), clock.millis());
    }

    /** Revokes one token by its id (token-auth management). */
    public void revokeById(String tokenId) {
        store.revoke(tokenId, clock.millis());
    }

    public void revokeForClientSecret(String clientSecretId) {
        store.revokeByClientSecret(clientSecretId, clock.millis());
    }

    public void revokeForMethod(String identityId, String method) {
        store.revokeByMethod(identityId, method, clock.millis());
    }

    /** The identity's metadata as a map, for templated permission rules; no parsing when there is none. */
    private Map<String, String> metadata(String json) {
        if (json == null || "[]".equals(json)) {
            return Map.of();
        }
        Map<String, String> out = new java.util.HashMap<>();
        for (Map<String, Object> e : this.json.readValue(json, MAP_LIST)) {
            out.put(String.valueOf(e.get("key")), String.valueOf(e.get("value")));
        }
        return out;
    }

    private AccessTokenStore.TokenRow find(String token) {
        if (token == null || token.isEmpty() || token.length() > 512) {
            throw ApiException.tokenError("Invalid access token");
        }
        return digests.find(token, store::findByDigest)
                .orElseThrow(() -> ApiException.tokenError("Invalid access token"));
    }

    private boolean isExpired(AccessTokenStore.TokenRow row, long now) {
        long since = row.lastRenewedAt() != null ? row.lastRenewedAt() : row.createdAt();
        if (row.period() > 0) {
            return now > since + row.period() * 1000;
        }
        if (row.ttl() > 0 && now > since + row.ttl() * 1000) {
            return true;
        }
        return row.ttl() > 0 && row.maxTtl() > 0 && now > row.createdAt() + row.maxTtl() * 1000;
    }

    private boolean allowedFrom(AccessTokenStore.TokenRow row, String ip) {
        if (anywhereJson.equals(row.trustedIps())) {
            return true;
        }
        return TrustedIps.allows(json.readValue(row.trustedIps(), MAP_LIST), ip);
    }
}
