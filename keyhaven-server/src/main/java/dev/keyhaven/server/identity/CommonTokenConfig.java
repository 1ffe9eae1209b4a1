package dev.keyhaven.server.identity;

import java.util.List;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * The token fields every auth method other than universal auth carries ({@code accessTokenTTL},
 * {@code accessTokenMaxTTL}, {@code accessTokenNumUsesLimit}, {@code accessTokenTrustedIps}), resolved
 * with Infisical's defaults and limits so all methods validate them identically.
 */
public record CommonTokenConfig(long ttl, long maxTtl, long numUsesLimit, String trustedIpsJson) {
    static final TypeReference<List<Map<String, Object>>> IP_LIST = new TypeReference<>() {};

    /** Applies a request's fields over {@code current} (or the defaults when attaching). */
    static CommonTokenConfig resolve(
            Long ttl,
            Long maxTtl,
            Long numUsesLimit,
            List<Map<String, Object>> trustedIps,
            CommonTokenConfig current,
            ObjectMapper json) {
        long t = UniversalAuthSettings.range(
                "accessTokenTTL",
                ttl,
                current == null ? UniversalAuthSettings.DEFAULT_TTL : current.ttl(),
                0,
                UniversalAuthSettings.MAX_TTL);
        long m = UniversalAuthSettings.range(
                "accessTokenMaxTTL",
                maxTtl,
                current == null ? UniversalAuthSettings.DEFAULT_TTL : current.maxTtl(),
                0,
                UniversalAuthSettings.MAX_TTL);
        UniversalAuthSettings.checkTtls(t, m);
        long uses = UniversalAuthSettings.range(
                "accessTokenNumUsesLimit",
                numUsesLimit,
                current == null ? 0 : current.numUsesLimit(),
                0,
                Long.MAX_VALUE);
        String ips = trustedIps == null && current != null
                ? current.trustedIpsJson()
                : json.writeValueAsString(TrustedIps.parse("accessTokenTrustedIps", trustedIps));
        return new CommonTokenConfig(t, m, uses, ips);
    }

    TokenSettings settings(ObjectMapper json) {
        return new TokenSettings(ttl, maxTtl, numUsesLimit, 0, json.readValue(trustedIpsJson, IP_LIST));
    }

    void putInto(Map<String, Object> view, ObjectMapper json) {
        view.put("accessTokenTTL", ttl);
        view.put("accessTokenMaxTTL", maxTtl);
        view.put("accessTokenNumUsesLimit", numUsesLimit);
        view.put("accessTokenTrustedIps", json.readValue(trustedIpsJson, IP_LIST));
    }
}
