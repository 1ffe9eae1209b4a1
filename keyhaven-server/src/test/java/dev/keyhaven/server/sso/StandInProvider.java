package dev.keyhaven.server.sso;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * An OIDC provider on loopback that issues whatever ID token a test asks for, to try the tokens a
 * real provider never issues: signed by a foreign key, for another audience, with another nonce,
 * expired. It checks the token request as a real provider would (client authentication, grant
 * type, code, redirect URI and the PKCE verifier against the challenge of the authorization
 * request) and answers 400 with the reason when one is wrong; {@link #problems()} lists them.
 */
final class StandInProvider implements AutoCloseable {
    static final String CLIENT_ID = "stand-in-client";
    static final String CLIENT_SECRET = "stand-in-secret";
    static final String CODE = "code-from-the-stand-in";

    private final HttpServer server;
    private final RSAKey published;
    private final RSAKey foreign;
    private final List<String> problems = new ArrayList<>();
    private volatile String challenge;
    private volatile String nonce;
    private volatile String redirectUri;
    private volatile UnaryOperator<JWTClaimsSet.Builder> claims = UnaryOperator.identity();
    private volatile boolean signWithForeignKey;

    StandInProvider() {
        try {
            published = new RSAKeyGenerator(2048).keyID("k1").generate();
            // same kid, other key material: what an attacker holding no private key of the provider could sign with
            foreign = new RSAKeyGenerator(2048).keyID("k1").generate();
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/jwks", ex -> reply(ex, 200, new JWKSet(published.toPublicJWK()).toString()));
        server.createContext("/token", this::token);
        server.start();
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String issuer() {
        return base() + "/issuer";
    }

    /** The configuration fields for this provider (manual endpoints). */
    Map<String, Object> configuration() {
        return Map.of(
                "configurationType",
                "custom",
                "issuer",
                issuer(),
                "authorizationEndpoint",
                base() + "/auth",
                "tokenEndpoint",
                base() + "/token",
                "jwksUri",
                base() + "/jwks",
                "clientId",
                CLIENT_ID,
                "clientSecret",
                CLIENT_SECRET);
    }

    /** What the authorization request said, as the provider would have seen it. */
    void authorizationRequest(Map<String, String> query) {
        challenge = query.get("code_challenge");
        nonce = query.get("nonce");
        redirectUri = query.get("redirect_uri");
        if (!"S256".equals(query.get("code_challenge_method")) || !CLIENT_ID.equals(query.get("client_id"))) {
            problems.add("authorization request without S256 PKCE or for another client: " + query);
        }
    }

    /** The next ID token's claims, changed by {@code change}; {@code foreignKey} signs it with a key not published. */
    void nextToken(UnaryOperator<JWTClaimsSet.Builder> change, boolean foreignKey) {
        this.claims = change;
        this.signWithForeignKey = foreignKey;
    }

    List<String> problems() {
        return List.copyOf(problems);
    }

    private void token(HttpExchange ex) throws IOException {
        Map<String, String> form = new HashMap<>();
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        for (String kv : body.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                form.put(
                        URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        String basic = "Basic "
                + Base64.getEncoder()
                        .encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        String problem = null;
        if (!"POST".equals(ex.getRequestMethod())) {
            problem = "not a POST";
        } else if (!basic.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            problem = "wrong client authentication";
        } else if (!"authorization_code".equals(form.get("grant_type"))) {
            problem = "wrong grant_type";
        } else if (!CODE.equals(form.get("code"))) {
            problem = "wrong code";
        } else if (redirectUri == null || !redirectUri.equals(form.get("redirect_uri"))) {
            problem = "redirect_uri differs from the authorization request's";
        } else if (form.get("code_verifier") == null
                || !s256(form.get("code_verifier")).equals(challenge)) {
            problem = "code_verifier does not match the code_challenge";
        }
        if (problem != null) {
            problems.add(problem);
            reply(ex, 400, "{\"error\":\"invalid_grant\"}");
            return;
        }
        long now = System.currentTimeMillis();
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder()
                .issuer(issuer())
                .audience(CLIENT_ID)
                .subject("stand-in-subject")
                .issueTime(new Date(now))
                .expirationTime(new Date(now + 300_000))
                .claim("nonce", nonce)
                .claim("email", "stand-in@example.test")
                .claim("email_verified", true)
                .claim("given_name", "Stand")
                .claim("family_name", "In");
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(),
                    claims.apply(b).build());
            jwt.sign(new RSASSASigner(signWithForeignKey ? foreign : published));
            reply(
                    ex,
                    200,
                    "{\"token_type\":\"Bearer\",\"access_token\":\"at\",\"id_token\":\"" + jwt.serialize() + "\"}");
        } catch (JOSEException e) {
            reply(ex, 500, "{}");
        }
    }

    private static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(
                            MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void reply(HttpExchange ex, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
