package dev.keyhaven.server.identity;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Kubernetes auth's "jwks" mode: verifies a service-account token locally against the keys of the
 * cluster's service-account issuer (static PEM keys, a JWKS URL, or the issuer's OIDC discovery
 * document), without calling the API server. It reuses {@link JwtVerifier} (asymmetric signatures
 * only, expiry, not-before) and {@link JwksCache}, and adds what Kubernetes tokens carry: the
 * configured issuer, a mandatory expiry, and the service account from the {@code kubernetes.io}
 * claim or {@code sub}. Unlike a TokenReview it cannot tell that the pod or service account has
 * since been deleted; a token stays valid until it expires.
 */
@Component
class KubernetesJwtVerifier {
    private static final JwtVerifier.Bounds SIGNATURE_ONLY = new JwtVerifier.Bounds("", "", "", Map.of());

    private final JwtVerifier verifier;
    private final JwksCache jwks;

    KubernetesJwtVerifier(JwtVerifier verifier, JwksCache jwks) {
        this.verifier = verifier;
        this.jwks = jwks;
    }

    /** Where the issuer's keys come from: static PEM keys win, then a JWKS URL, then discovery at the issuer. */
    record Keys(String issuer, String caCert, String jwksUrl, List<String> publicKeys) {}

    KubernetesServiceAccount verify(String jwt, Keys keys) {
        JWTClaimsSet claims;
        try {
            claims = verifier.verify(jwt, keySource(keys), SIGNATURE_ONLY);
        } catch (JwtVerifier.Rejected e) {
            throw new KubernetesRejection(e.getMessage(), e.publicReason());
        }
        if (!keys.issuer().equals(claims.getIssuer())) {
            throw new KubernetesRejection("issuer does not match the configured issuer");
        }
        if (claims.getExpirationTime() == null) {
            throw new KubernetesRejection("token has no expiry (exp)");
        }
        List<String> audiences = claims.getAudience() == null ? List.of() : claims.getAudience();
        return serviceAccount(claims, audiences);
    }

    private JwtVerifier.KeySource keySource(Keys k) {
        String ca = k.caCert().isBlank() ? null : k.caCert();
        if (!k.publicKeys().isEmpty()) {
            List<JWK> parsed = new ArrayList<>();
            k.publicKeys().forEach(pem -> parsed.addAll(JwtVerifier.parsePem(pem)));
            return refresh -> parsed;
        }
        if (!k.jwksUrl().isEmpty()) {
            return refresh -> jwks.keys(k.jwksUrl(), ca, refresh);
        }
        return refresh -> jwks.keys(jwks.jwksUri(k.issuer(), ca, refresh), ca, refresh);
    }

    /**
     * The service account named by the {@code kubernetes.io} claim of a bound token, which must agree
     * with {@code sub}; tokens without that claim are read from {@code sub} alone.
     */
    private static KubernetesServiceAccount serviceAccount(JWTClaimsSet claims, List<String> audiences) {
        Map<String, Object> k8s;
        try {
            k8s = claims.getJSONObjectClaim("kubernetes.io");
        } catch (ParseException e) {
            throw new KubernetesRejection("the kubernetes.io claim is not an object");
        }
        if (k8s == null) {
            return KubernetesServiceAccount.fromUsername(claims.getSubject(), audiences);
        }
        Object namespace = k8s.get("namespace");
        Object sa = k8s.get("serviceaccount");
        Object name = sa instanceof Map<?, ?> m ? m.get("name") : null;
        if (!(namespace instanceof String ns) || !(name instanceof String n) || ns.isEmpty() || n.isEmpty()) {
            throw new KubernetesRejection("the kubernetes.io claim names no service account");
        }
        KubernetesServiceAccount account = new KubernetesServiceAccount(ns, n, audiences);
        if (claims.getSubject() != null && !claims.getSubject().equals("system:serviceaccount:" + ns + ":" + n)) {
            throw new KubernetesRejection("the subject does not match the kubernetes.io claim");
        }
        return account;
    }
}
