package dev.keyhaven.server.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verifier's matching rules with a static EC key: GitHub-style subjects, dot-path and list claims. */
class JwtVerifierTest {
    private final JwtVerifier verifier = new JwtVerifier(Clock.systemUTC());

    private static String pem(ECKey key) throws Exception {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(key.toPublicKey().getEncoded()) + "\n-----END PUBLIC KEY-----";
    }

    private static String es256(ECKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.ES256), claims);
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    @Test
    void aGithubActionsSubjectMatchesADoubleStarGlobAndListClaimsMatchAnyElement() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        String pem = pem(key);
        JwtVerifier.KeySource keys = refresh -> JwtVerifier.parsePem(pem);
        String token = es256(
                key,
                new JWTClaimsSet.Builder()
                        .issuer("https://token.actions.githubusercontent.com")
                        .subject("repo:acme/app:ref:refs/heads/feature/x")
                        .audience(List.of("a", "keyhaven"))
                        .claim("groups", List.of("dev", "ops"))
                        .claim("ctx", Map.of("env", "prod"))
                        .build());

        JWTClaimsSet ok = verifier.verify(
                token,
                keys,
                new JwtVerifier.Bounds(
                        "https://token.actions.githubusercontent.com",
                        "keyhaven",
                        "repo:acme/app:ref:refs/heads/**",
                        Map.of("groups", "ops", "ctx.env", "prod,staging")));
        assertThat(ok.getSubject()).endsWith("feature/x");

        assertThatThrownBy(() -> verifier.verify(
                        token, keys, new JwtVerifier.Bounds("", "", "repo:acme/app:ref:refs/heads/*", Map.of())))
                .hasMessage("subject does not match boundSubject");
        assertThatThrownBy(() ->
                        verifier.verify(token, keys, new JwtVerifier.Bounds("", "", "", Map.of("groups", "admin"))))
                .hasMessage("claim groups does not match boundClaims");
    }

    @Test
    void aPemThatIsNotAPublicKeyIsRefused() {
        assertThatThrownBy(() -> JwtVerifier.parsePem("hello")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JwtVerifier.parsePem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
