package dev.keyhaven.server.identity;

import com.nimbusds.jwt.JWTClaimsSet;
import java.util.List;
import java.util.Locale;

/**
 * What an Entra ID token whose signature and times were verified must still show. Entra ID signs
 * the tokens of every tenant with the same keys, so the tenant is proven only by the claims: the
 * issuer must be the configured tenant's (v1 {@code https://sts.windows.net/<tenant>/} or v2
 * {@code https://login.microsoftonline.com/<tenant>/v2.0}, both accepted) and {@code tid} must match;
 * {@code aud} must be the configured resource, and {@code oid} one of the allowed principals when
 * the list is set.
 */
record AzureTokenRules(AzureAuthStore.Config config) implements JwtLogin.ClaimsCheck {
    @Override
    public void check(JWTClaimsSet claims) {
        if (claims.getExpirationTime() == null) {
            throw new JwtVerifier.Rejected("token has no expiry (exp)");
        }
        String tenant = config.tenantId().toLowerCase(Locale.ROOT);
        String iss = claims.getIssuer();
        if (!("https://sts.windows.net/" + tenant + "/").equals(iss)
                && !("https://login.microsoftonline.com/" + tenant + "/v2.0").equals(iss)) {
            throw new JwtVerifier.Rejected("issuer is not Entra ID for the configured tenant");
        }
        List<String> aud = claims.getAudience() == null ? List.of() : claims.getAudience();
        if (aud.stream().noneMatch(this::isResource)) {
            throw new JwtVerifier.Rejected("audience does not match resource");
        }
        if (!(claims.getClaim("tid") instanceof String tid) || !tid.equalsIgnoreCase(tenant)) {
            throw new JwtVerifier.Rejected("tenant (tid) does not match tenantId");
        }
        if (!config.allowedServicePrincipalIds().isEmpty()
                && !AllowList.allows(
                        config.allowedServicePrincipalIds(), claims.getClaim("oid") instanceof String o ? o : null)) {
            throw new JwtVerifier.Rejected("service principal (oid) is not in allowedServicePrincipalIds");
        }
    }

    /** As Infisical: a resource configured with a trailing slash also matches the audience without it. */
    private boolean isResource(String aud) {
        String resource = config.resource();
        return resource.equals(aud)
                || (resource.endsWith("/")
                        && resource.substring(0, resource.length() - 1).equals(aud));
    }
}
