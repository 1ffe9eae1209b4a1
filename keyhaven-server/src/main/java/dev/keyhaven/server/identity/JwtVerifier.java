package dev.keyhaven.server.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.keyhaven.server.access.Glob;
import java.io.ByteArrayInputStream;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Verifies a JWT presented at login against public keys and the bound issuer, audiences,
 * subject and claims of a JWT or OIDC configuration. Only asymmetric signatures are accepted: an
 * unsigned token ({@code alg: none}) or an HMAC one is refused before any key is tried, because
 * with HMAC a public key would become the shared secret (the classic algorithm-confusion attack).
 */
@Component
public class JwtVerifier {
    /** Tolerated clock difference with the issuer for {@code exp} and {@code nbf}. */
    static final long SKEW_SECONDS = 60;
    /** A token without {@code kid} is tried against at most this many keys. */
    static final int MAX_KEYS_WITHOUT_KID = 10;

    private static final Pattern PEM =
            Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private final Clock clock;

    public JwtVerifier(Clock clock) {
        this.clock = clock;
    }

    /** Why a token was refused; the message is audited, so it never contains the token. */
    public static class Rejected extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final boolean upstream;

        public Rejected(String reason) {
            this(reason, false);
        }

        /** {@code upstream}: the issuer's keys could not be had; the details go to the audit log only. */
        public Rejected(String reason, boolean upstream) {
            super(reason, null, false, false);
            this.upstream = upstream;
        }

        /** What the login response may tell an unauthenticated caller. */
        public String publicReason() {
            return upstream ? "the issuer's keys could not be fetched" : getMessage();
        }
    }

    /** The keys a token may be verified with; {@code refresh} is asked once when the kid is unknown. */
    public interface KeySource {
        List<JWK> keys(boolean refresh);
    }

    /** What a configuration binds: empty strings and maps mean "any". */
    public record Bounds(String issuer, String audiences, String subject, Map<String, Object> claims) {}

    public JWTClaimsSet verify(String token, KeySource keys, Bounds bounds) {
        if (token == null || token.isBlank()) {
            throw new Rejected("no token");
        }
        JWT parsed;
        try {
            parsed = JWTParser.parse(token.trim());
        } catch (ParseException e) {
            throw new Rejected("malformed token");
        }
        if (parsed instanceof PlainJWT) {
            throw new Rejected("unsigned token (alg none)");
        }
        if (!(parsed instanceof SignedJWT signed)) {
            throw new Rejected("encrypted tokens are not supported");
        }
        JWSAlgorithm alg = signed.getHeader().getAlgorithm();
        if (JWSAlgorithm.Family.HMAC_SHA.contains(alg)) {
            throw new Rejected("HMAC-signed token where a public key is expected");
        }
        if (!JWSAlgorithm.Family.RSA.contains(alg) && !JWSAlgorithm.Family.EC.contains(alg)) {
            throw new Rejected("unsupported signing algorithm " + alg);
        }
        String kid = signed.getHeader().getKeyID();
        List<JWK> candidates = candidates(keys.keys(false), kid);
        if (kid != null && candidates.isEmpty()) {
            candidates = candidates(keys.keys(true), kid);
            if (candidates.isEmpty()) {
                throw new Rejected("unknown key id (kid)");
            }
        }
        if (!verifies(signed, alg, candidates, kid == null)) {
            throw new Rejected("signature does not verify with the configured keys");
        }
        JWTClaimsSet claims;
        try {
            claims = signed.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new Rejected("malformed claims");
        }
        checkTimes(claims);
        checkBounds(claims, bounds);
        return claims;
    }

    private static List<JWK> candidates(List<JWK> keys, String kid) {
        List<JWK> out = new ArrayList<>();
        for (JWK k : keys) {
            if (k.getKeyUse() != null && !KeyUse.SIGNATURE.equals(k.getKeyUse())) {
                continue;
            }
            // static PEM keys have no kid and are candidates for any token
            if (kid == null || k.getKeyID() == null || kid.equals(k.getKeyID())) {
                out.add(k);
            }
        }
        if (kid != null
                && out.stream().noneMatch(k -> kid.equals(k.getKeyID()))
                && out.stream().allMatch(k -> k.getKeyID() != null)) {
            return List.of();
        }
        return out;
    }

    private static boolean verifies(SignedJWT signed, JWSAlgorithm alg, List<JWK> keys, boolean capped) {
        int tried = 0;
        for (JWK k : keys) {
            if (k.getAlgorithm() != null && !k.getAlgorithm().equals(alg)) {
                continue;
            }
            JWSVerifier verifier = verifier(k, alg);
            if (verifier == null) {
                continue;
            }
            if (capped && ++tried > MAX_KEYS_WITHOUT_KID) {
                return false;
            }
            try {
                if (signed.verify(verifier)) {
                    return true;
                }
            } catch (JOSEException e) {
                // a key of the wrong size or curve for this token: try the next one
            }
        }
        return false;
    }

    private static JWSVerifier verifier(JWK k, JWSAlgorithm alg) {
        try {
            if (k instanceof RSAKey rsa && JWSAlgorithm.Family.RSA.contains(alg)) {
                return new RSASSAVerifier(rsa.toRSAPublicKey());
            }
            if (k instanceof ECKey ec && JWSAlgorithm.Family.EC.contains(alg)) {
                return new ECDSAVerifier(ec.toECPublicKey());
            }
        } catch (JOSEException e) {
            return null;
        }
        return null;
    }

    private void checkTimes(JWTClaimsSet claims) {
        long now = clock.millis();
        Date exp = claims.getExpirationTime();
        if (exp != null && now > exp.getTime() + SKEW_SECONDS * 1000) {
            throw new Rejected("token expired");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now + SKEW_SECONDS * 1000 < nbf.getTime()) {
            throw new Rejected("token not yet valid");
        }
    }

    private static void checkBounds(JWTClaimsSet claims, Bounds b) {
        if (!b.issuer().isEmpty() && !b.issuer().equals(claims.getIssuer())) {
            throw new Rejected("issuer does not match boundIssuer");
        }
        if (!b.audiences().isEmpty()) {
            List<String> aud = claims.getAudience() == null ? List.of() : claims.getAudience();
            boolean match = Arrays.stream(b.audiences().split(","))
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .anyMatch(aud::contains);
            if (!match) {
                throw new Rejected("audience does not match boundAudiences");
            }
        }
        if (!b.subject().isEmpty()
                && (claims.getSubject() == null || !Glob.matches(b.subject(), claims.getSubject()))) {
            throw new Rejected("subject does not match boundSubject");
        }
        for (Map.Entry<String, Object> bound : b.claims().entrySet()) {
            Object actual = claimAt(claims.getClaims(), bound.getKey());
            List<String> values = actual instanceof Collection<?> c
                    ? c.stream().map(String::valueOf).toList()
                    : actual == null ? List.of() : List.of(String.valueOf(actual));
            List<String> globs = Arrays.stream(String.valueOf(bound.getValue()).split(","))
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .toList();
            boolean match = values.stream().anyMatch(v -> globs.stream().anyMatch(g -> Glob.matches(g, v)));
            if (!match) {
                throw new Rejected("claim " + bound.getKey() + " does not match boundClaims");
            }
        }
    }

    /** A claim by name, or by a dot path into nested objects when no claim has the literal name. */
    static Object claimAt(Map<String, Object> claims, String path) {
        if (claims.containsKey(path)) {
            return claims.get(path);
        }
        Object current = claims;
        for (String part : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(part);
        }
        return current;
    }

    /** Parses PEM public keys or certificates into JWKs; throws IllegalArgumentException when one is unusable. */
    public static List<JWK> parsePem(String pem) {
        Matcher m = PEM.matcher(pem == null ? "" : pem);
        List<JWK> out = new ArrayList<>();
        while (m.find()) {
            byte[] der = Base64.getMimeDecoder().decode(m.group(2).replaceAll("\\s", ""));
            out.add(toJwk(publicKey(m.group(1), der)));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("not a PEM public key or certificate");
        }
        return out;
    }

    private static PublicKey publicKey(String type, byte[] der) {
        try {
            if (type.equals("CERTIFICATE")) {
                return CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(der))
                        .getPublicKey();
            }
            if (type.equals("PUBLIC KEY")) {
                for (String algorithm : List.of("RSA", "EC")) {
                    try {
                        return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
                    } catch (java.security.spec.InvalidKeySpecException e) {
                        // try the next algorithm
                    }
                }
            }
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("unreadable PEM " + type.toLowerCase());
        }
        throw new IllegalArgumentException("unsupported PEM block " + type.toLowerCase());
    }

    private static JWK toJwk(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            return new RSAKey.Builder(rsa).build();
        }
        if (key instanceof ECPublicKey ec) {
            Curve curve = Curve.forECParameterSpec(ec.getParams());
            if (curve == null) {
                throw new IllegalArgumentException("unsupported EC curve");
            }
            return new ECKey.Builder(curve, ec).build();
        }
        throw new IllegalArgumentException("only RSA and EC public keys are supported");
    }
}
