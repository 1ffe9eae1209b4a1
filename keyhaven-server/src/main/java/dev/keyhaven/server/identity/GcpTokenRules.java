package dev.keyhaven.server.identity;

import com.nimbusds.jwt.JWTClaimsSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * What a GCP token whose signature and times were verified must still show: that it was minted
 * for this identity ({@code aud} is the identity id, which is what Infisical's clients ask Google
 * for), by Google for type {@code gce}, and by a service account, project and zone the configuration
 * allows. A configured list that the token cannot be checked against (a {@code gce} token without
 * {@code google.compute_engine}) refuses the login rather than being skipped.
 */
record GcpTokenRules(String identityId, GcpAuthStore.Config config) implements JwtLogin.ClaimsCheck {
    /** Google signs ID tokens with either form of its issuer. */
    static final Set<String> GOOGLE_ISSUERS = Set.of("https://accounts.google.com", "accounts.google.com");

    @Override
    public void check(JWTClaimsSet claims) {
        if (claims.getExpirationTime() == null) {
            throw new JwtVerifier.Rejected("token has no expiry (exp)");
        }
        List<String> aud = claims.getAudience() == null ? List.of() : claims.getAudience();
        if (!aud.contains(identityId)) {
            throw new JwtVerifier.Rejected("audience is not the identity id");
        }
        String email;
        String project;
        String zone = null;
        if (config.type().equals(GcpAuthService.TYPE_GCE)) {
            if (!GOOGLE_ISSUERS.contains(claims.getIssuer())) {
                throw new JwtVerifier.Rejected("issuer is not https://accounts.google.com");
            }
            email = string(claims.getClaim("email"));
            if (email == null) {
                throw new JwtVerifier.Rejected("token has no email claim");
            }
            Object verified = claims.getClaim("email_verified");
            if (Boolean.FALSE.equals(verified) || "false".equals(verified)) {
                throw new JwtVerifier.Rejected("email is not verified");
            }
            Map<?, ?> gce = JwtVerifier.claimAt(claims.getClaims(), "google.compute_engine") instanceof Map<?, ?> m
                    ? m
                    : Map.of();
            project = string(gce.get("project_id"));
            zone = string(gce.get("zone"));
        } else {
            email = claims.getSubject();
            Matcher m = CloudKeyEndpoints.SERVICE_ACCOUNT.matcher(email == null ? "" : email);
            if (!m.matches()) {
                throw new JwtVerifier.Rejected("subject is not a service-account email");
            }
            project = m.group(1);
        }
        if (!config.allowedServiceAccounts().isEmpty() && !AllowList.allows(config.allowedServiceAccounts(), email)) {
            throw new JwtVerifier.Rejected("service account is not in allowedServiceAccounts");
        }
        if (!config.allowedProjects().isEmpty()) {
            if (project == null) {
                throw new JwtVerifier.Rejected("token names no project (google.compute_engine.project_id; "
                        + "request the token with format=full)");
            }
            if (!AllowList.allows(config.allowedProjects(), project)) {
                throw new JwtVerifier.Rejected("project is not in allowedProjects");
            }
        }
        if (!config.allowedZones().isEmpty()) {
            if (zone == null) {
                throw new JwtVerifier.Rejected(
                        "token names no zone (google.compute_engine.zone; " + "request the token with format=full)");
            }
            if (!AllowList.allows(config.allowedZones(), zone)) {
                throw new JwtVerifier.Rejected("zone is not in allowedZones");
            }
        }
    }

    private static String string(Object value) {
        return value instanceof String s && !s.isEmpty() ? s : null;
    }
}
