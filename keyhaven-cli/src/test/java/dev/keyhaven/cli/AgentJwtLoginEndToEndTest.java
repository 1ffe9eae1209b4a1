package dev.keyhaven.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.keyhaven.cli.InProcessCli.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keyhaven agent} with the signed-token methods (JWT, Kubernetes) against the real server:
 * identities trust an RSA key generated here, the test signs the tokens the agent reads from a
 * file, and the server verifies them as it would a CI job's or a pod's.
 */
class AgentJwtLoginEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ISSUER = "https://issuer.keyhaven.test";

    static CliServer server;
    static String project;
    static RSAKey key;
    static RSAKey otherKey;

    @TempDir
    Path home;

    @TempDir
    Path work;

    Process agent;

    @BeforeAll
    static void startServer() throws Exception {
        server = CliServer.get();
        project = server.project();
        key = new RSAKeyGenerator(2048).keyID("k1").generate();
        otherKey = new RSAKeyGenerator(2048).keyID("k1").generate();
    }

    @AfterEach
    void stopAgent() throws InterruptedException {
        if (agent != null && agent.isAlive()) {
            agent.destroy();
            if (!agent.waitFor(30, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
            }
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** A machine identity with no auth method yet, a viewer of the project. */
    static String identity() {
        String id = server.admin
                .send(
                        "POST",
                        "/api/v1/identities",
                        Map.of("name", CliServer.unique("id"), "organizationId", server.orgId, "role", "member"),
                        true)
                .body()
                .path("identity")
                .path("id")
                .asString();
        server.admin.send(
                "POST", "/api/v2/workspace/" + project + "/identity-memberships/" + id, Map.of("role", "viewer"), true);
        return id;
    }

    /** An identity with JWT auth trusting {@link #key} for tokens of subject {@code agent-test}. */
    static String jwtIdentity(Map<String, Object> extra) {
        String id = identity();
        Map<String, Object> body = new HashMap<>(Map.of(
                "configurationType",
                "static",
                "publicKeys",
                List.of(pem(key)),
                "boundIssuer",
                ISSUER,
                "boundAudiences",
                "keyhaven",
                "boundSubject",
                "agent-test"));
        body.putAll(extra);
        server.admin.send("POST", "/api/v1/auth/jwt-auth/identities/" + id, body, true);
        return id;
    }

    static String pem(RSAKey k) {
        try {
            return "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(k.toPublicKey().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JWTClaimsSet.Builder claims(String subject) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(List.of("keyhaven"))
                .subject(subject)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)));
    }

    static String sign(RSAKey k, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(k.getKeyID())
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims);
        jwt.sign(new RSASSASigner(k));
        return jwt.serialize();
    }

    /** The part of a token that only its signer can produce: what must never show in a log. */
    static String signature(String jwt) {
        return jwt.substring(jwt.lastIndexOf('.') + 1);
    }

    String folder(String value) {
        String name = CliServer.unique("agent").replace("-", "");
        server.folder(project, "dev", "/", name);
        server.admin.setSecret(dev.keyhaven.client.SecretQuery.of(project, "dev", "/" + name), "KEY", value);
        return "/" + name;
    }

    Path config(String auth, String path) throws IOException {
        return write(
                "agent.yaml",
                "url: " + server.url + "\n"
                        + "projectId: " + project + "\n"
                        + "auth:\n" + auth
                        + "pollInterval: 200ms\n"
                        + "maxRetryInterval: 400ms\n"
                        + "templates:\n"
                        + "  - contents: 'v={{ secret \"dev\" \"" + path + "\" \"KEY\" }}'\n"
                        + "    destination: out.txt\n");
    }

    Path write(String name, String content) throws IOException {
        Path p = work.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    Result once(Path cfg, Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("XDG_CONFIG_HOME", home.toString());
        return InProcessCli.run(env, work, "agent", "--config", cfg.toString(), "--once");
    }

    static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private void assertBad(Path cfg, String message) {
        Result r = once(cfg, Map.of());
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).startsWith("Error: ").contains(message);
        assertThat(r.err().lines().toList()).as(r.err()).hasSize(1);
    }

    // ---- tests ------------------------------------------------------------------------------

    @Test
    void jwtMethodLogsInWithTheTokenFileAndRenders() throws Exception {
        String id = jwtIdentity(Map.of());
        String path = folder("jwt-4d1a");
        String jwt = sign(key, claims("agent-test").build());
        write("token.jwt", jwt + "\n");
        Path cfg = config("  method: jwt\n  identityId: " + id + "\n  tokenFile: token.jwt\n", path);

        Result r = once(cfg, Map.of());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(read(work.resolve("out.txt"))).isEqualTo("v=jwt-4d1a");
        assertThat(r.err())
                .contains("Logged in with JWT auth (identity " + id + ")")
                .doesNotContain(signature(jwt))
                .doesNotContain("4d1a");
    }

    @Test
    void jwtMethodReadsTheTokenFromAnEnvironmentVariableAndARefusedTokenFailsWithoutShowingIt() throws Exception {
        String id = jwtIdentity(Map.of());
        String path = folder("env-6b2c");
        Path cfg = config("  method: jwt\n  identityId: " + id + "\n  tokenEnv: CI_JWT\n", path);

        String foreign = sign(otherKey, claims("agent-test").build());
        Result refused = once(cfg, Map.of("CI_JWT", foreign));
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err())
                .contains("Login with JWT auth (identity " + id + ") failed")
                .doesNotContain(signature(foreign));
        assertThat(work.resolve("out.txt")).doesNotExist();

        Result ok = once(cfg, Map.of("CI_JWT", sign(key, claims("agent-test").build())));
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(read(work.resolve("out.txt"))).isEqualTo("v=env-6b2c");
    }

    @Test
    void kubernetesMethodSendsTheServiceAccountTokenFromItsFile() throws Exception {
        String id = identity();
        server.admin.send(
                "POST",
                "/api/v1/auth/kubernetes-auth/identities/" + id,
                Map.of(
                        "tokenReviewMode",
                        "jwks",
                        "issuer",
                        ISSUER,
                        "allowedAudience",
                        "keyhaven",
                        "allowedNamespaces",
                        "prod",
                        "allowedNames",
                        "api",
                        "publicKeys",
                        List.of(pem(key))),
                true);
        String path = folder("k8s-8e3f");
        String token = sign(
                key,
                claims("system:serviceaccount:prod:api")
                        .claim("kubernetes.io", Map.of("namespace", "prod", "serviceaccount", Map.of("name", "api")))
                        .build());
        write("sa-token", token);
        Path cfg = config("  method: kubernetes\n  identityId: " + id + "\n  tokenFile: sa-token\n", path);

        Result r = once(cfg, Map.of());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(read(work.resolve("out.txt"))).isEqualTo("v=k8s-8e3f");
        assertThat(r.err())
                .contains("Logged in with Kubernetes auth (identity " + id + ")")
                .doesNotContain(signature(token));

        // Another service account's token (not in allowedNames) is refused: the file's content is what is sent.
        write(
                "sa-token",
                sign(
                        key,
                        claims("system:serviceaccount:prod:worker")
                                .claim(
                                        "kubernetes.io",
                                        Map.of("namespace", "prod", "serviceaccount", Map.of("name", "worker")))
                                .build()));
        Result refused = once(cfg, Map.of());
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("Login with Kubernetes auth (identity " + id + ") failed");
    }

    @Test
    void aRotatedTokenFileIsReadAgainAtTheNextLogin() throws Exception {
        // Three uses per access token: the agent soon has to log in again, with whatever the file holds then.
        String id = jwtIdentity(Map.of("accessTokenNumUsesLimit", 3));
        String path = folder("r1");
        Path tokenFile = write("token.jwt", sign(key, claims("agent-test").build()));
        Path cfg = config("  method: jwt\n  identityId: " + id + "\n  tokenFile: token.jwt\n", path);
        Path log = work.resolve("agent.log");
        agent = new ProcessBuilder(
                        Paths.get(System.getProperty("java.home"), "bin", "java")
                                .toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        KeyhavenCli.class.getName(),
                        "agent",
                        "--config",
                        cfg.toString())
                .redirectError(log.toFile())
                .redirectOutput(work.resolve("agent.out").toFile())
                .directory(work.toFile())
                .start();
        Path out = work.resolve("out.txt");
        await().atMost(WAIT).until(() -> read(out).equals("v=r1"));

        String foreign = sign(otherKey, claims("agent-test").build());
        Files.writeString(tokenFile, foreign);
        await().atMost(WAIT).until(() -> read(log).contains("Login with JWT auth (identity " + id + ") failed"));

        Files.writeString(tokenFile, sign(key, claims("agent-test").build()));
        server.admin.setSecret(dev.keyhaven.client.SecretQuery.of(project, "dev", path), "KEY", "r2");
        await().atMost(WAIT).until(() -> read(out).equals("v=r2"));
        assertThat(read(log)).doesNotContain(signature(foreign)).doesNotContain(signature(read(tokenFile)));
    }

    @Test
    void aBadAuthBlockStopsTheAgentWithTheLineAndTheField() throws IOException {
        String path = "/";
        write("empty.jwt", "\n");
        assertBad(
                config("  method: gcp\n", path),
                "agent.yaml line 4: auth.method: unknown auth method 'gcp'; supported: aws, jwt, kubernetes, oidc, "
                        + "universal-auth.");
        assertBad(
                config("  method: jwt\n  tokenFile: empty.jwt\n", path),
                "agent.yaml line 4: auth: the identity id is missing: set one of identityId, identityIdFile");
        assertBad(
                config("  method: oidc\n  identityId: x\n", path),
                "agent.yaml line 4: auth: the OIDC token is missing: set tokenFile");
        assertBad(
                config("  method: jwt\n  identityId: x\n  token: eyJhbGciOi.x.y\n", path),
                "agent.yaml line 6: unknown key 'auth.token'; expected one of");
        assertBad(
                config("  method: jwt\n  identityId: x\n  tokenFile: nope/token\n", path),
                "agent.yaml line 6: auth.tokenFile: Cannot read the JWT from " + work.resolve("nope/token")
                        + " (NoSuchFileException).");
        assertBad(
                config("  method: jwt\n  identityId: x\n  tokenFile: empty.jwt\n", path),
                "agent.yaml line 6: auth.tokenFile: The JWT file " + work.resolve("empty.jwt") + " is empty.");
        assertBad(
                config("  method: jwt\n  identityId: x\n  tokenEnv: CI_JWT\n", path),
                "agent.yaml line 6: auth.tokenEnv: The environment variable CI_JWT (the JWT) is not set.");
        assertBad(
                config("  method: jwt\n  identityId: x\n  tokenEnv: CI_JWT\n  tokenFile: empty.jwt\n", path),
                "agent.yaml line 4: auth: give the JWT only one way: tokenFile or tokenEnv.");
        if (!Files.exists(Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token"))) {
            assertBad(
                    config("  method: kubernetes\n  identityId: x\n", path),
                    "agent.yaml line 4: auth.tokenFile: Cannot read the service-account token from "
                            + "/var/run/secrets/kubernetes.io/serviceaccount/token (NoSuchFileException). Not in a "
                            + "pod, or the token is mounted elsewhere? Set tokenFile.");
        }
        assertThat(work.resolve("out.txt")).doesNotExist();
    }
}
