package dev.keyhaven.server.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import tools.jackson.databind.JsonNode;

/**
 * A real Keycloak (the {@code keycloak-quarkus-dist} zip from Maven Central) for tests that need
 * tokens from an OIDC provider we did not write. One instance per test JVM, started on first use
 * on a free loopback port with the realm in {@code src/test/resources/keycloak/keyhaven-realm.json}
 * and stopped by a shutdown hook. It runs on Temurin 25 when the machine has it, else on the JVM
 * running the tests. A Keycloak that does not start fails the test that asked for it, with the
 * log's tail; it is never skipped. The log is {@code target/keycloak/keycloak.log}.
 */
public final class Keycloak {
    public static final String REALM = "keyhaven";
    /** Confidential client with a service account; its access tokens have {@code aud: keyhaven}. */
    public static final Client CI = new Client("keyhaven-ci", "keyhaven-ci-secret");
    /** Confidential client that may log users in with a password (direct grant); ID tokens have {@code aud: keyhaven-cli}. */
    public static final Client CLI = new Client("keyhaven-cli", "keyhaven-cli-secret");
    /** Another application's service account; its access tokens have {@code aud: billing-api}. */
    public static final Client OTHER = new Client("other-service", "other-service-secret");
    /** The ids the realm JSON fixes, so that tests can bind subjects. */
    public static final String CI_SUBJECT = "6f1c2a8e-4b7d-4e0a-9c3f-0a1b2c3d4e02";

    public static final String ALICE_SUBJECT = "6f1c2a8e-4b7d-4e0a-9c3f-0a1b2c3d4e01";
    public static final String ALICE = "alice";
    public static final String ALICE_PASSWORD = "alice-password";

    private static final String TEMURIN_25 = "/usr/lib/jvm/temurin-25-jdk-amd64";
    private static final Duration START_TIMEOUT =
            Duration.ofSeconds(Long.getLong("keyhaven.test.keycloak.start-timeout-seconds", 420));
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static Keycloak shared;
    private static RuntimeException startFailure;

    private final Process process;
    private final int port;

    public record Client(String id, String secret) {}

    /** What a password login returns. */
    public record Tokens(String idToken, String accessToken) {}

    private Keycloak(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The Keycloak of this JVM, started on first use; a failed start fails every later call too. */
    public static synchronized Keycloak shared() {
        if (startFailure != null) {
            throw new IllegalStateException(
                    "Keycloak failed to start earlier in this run: " + startFailure.getMessage(), startFailure);
        }
        if (shared == null) {
            try {
                shared = launch();
            } catch (RuntimeException e) {
                startFailure = e;
                throw e;
            }
        }
        return shared;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The realm's issuer; {@code --hostname} pins it, so it is the same whatever Host header a client sends. */
    public String issuer() {
        return baseUrl() + "/realms/" + REALM;
    }

    public String jwksUrl() {
        return issuer() + "/protocol/openid-connect/certs";
    }

    /** An access token for the client's service account (client-credentials grant). */
    public String clientCredentialsToken(Client client) {
        return token(client, Map.of("grant_type", "client_credentials"))
                .path("access_token")
                .asString();
    }

    /** A user login with a password (resource-owner password grant) asking for an ID token. */
    public Tokens passwordLogin(Client client, String username, String password) {
        JsonNode body = token(
                client,
                Map.of("grant_type", "password", "username", username, "password", password, "scope", "openid"));
        return new Tokens(
                body.path("id_token").asString(), body.path("access_token").asString());
    }

    private JsonNode token(Client client, Map<String, String> form) {
        String basic = Base64.getEncoder()
                .encodeToString((enc(client.id()) + ":" + enc(client.secret())).getBytes(StandardCharsets.UTF_8));
        String body = form.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest req = HttpRequest.newBuilder(URI.create(issuer() + "/protocol/openid-connect/token"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> res = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() != 200) {
                // the error body names the OAuth error; it holds no token
                throw new IllegalStateException("Keycloak refused the " + form.get("grant_type") + " grant for "
                        + client.id() + ": " + res.statusCode() + " " + res.body());
            }
            return Api.JSON.readTree(res.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static Keycloak launch() {
        String version = System.getProperty("keyhaven.test.keycloak.version", "26.5.6");
        Path work = Path.of(System.getProperty("keyhaven.test.keycloak.work", "target/keycloak"))
                .toAbsolutePath();
        Path zip = Path.of(System.getProperty(
                "keyhaven.test.keycloak.zip",
                work.resolve("keycloak-quarkus-dist-" + version + ".zip").toString()));
        Path javaHome = javaHome();
        Path cache = cacheRoot().resolve("keycloak-" + version + "-jdk" + javaFeature(javaHome));
        KeycloakDist dist = new KeycloakDist(version, zip, cache, realmJson());
        long t0 = System.nanoTime();
        Path snapshot = dist.prepare(work, home -> {
            Keycloak importer = start(home, javaHome, work.resolve("keycloak-import.log"), "--import-realm");
            importer.stop();
        });
        long prepared = System.nanoTime();
        Keycloak kc;
        try {
            kc = start(
                    dist.runHomeFromSnapshot(work.resolve("home"), snapshot), javaHome, work.resolve("keycloak.log"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lay out a Keycloak home under " + work, e);
        } catch (IllegalStateException e) {
            // a damaged snapshot would fail every later run too; the next run re-imports the realm
            dist.dropSnapshot();
            throw new IllegalStateException(
                    e.getMessage() + "\n(the realm snapshot was dropped; if Keycloak keeps" + " failing, delete "
                            + cache + " to unzip it again)",
                    e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(kc::stop, "keycloak-stop"));
        long ready = System.nanoTime();
        record(
                work.resolve("startup.txt"),
                String.format(
                        "%s Keycloak %s on %s at %s: prepare %.1f s, start %.1f s%n",
                        java.time.Instant.now(),
                        version,
                        javaHome,
                        kc.baseUrl(),
                        (prepared - t0) / 1e9,
                        (ready - prepared) / 1e9));
        return kc;
    }

    /** Starts kc.sh in dev mode in {@code home} and waits until the realm's discovery document is served. */
    private static Keycloak start(Path home, Path javaHome, Path log, String... extraArgs) {
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(
                home.resolve("bin/kc.sh").toString(),
                "start-dev",
                "--http-host=127.0.0.1",
                "--http-port=" + port,
                "--hostname=http://127.0.0.1:" + port));
        cmd.addAll(List.of(extraArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        Map<String, String> env = pb.environment();
        // settings of a Keycloak the developer runs for something else must not leak in
        env.keySet().removeIf(k -> k.startsWith("KC_") || k.startsWith("JAVA_OPTS") || k.equals("JAVA"));
        env.put("JAVA_HOME", javaHome.toString());
        // without it Java 25 prints an IllegalAccessError about thread-local reset at shutdown
        env.put("JAVA_OPTS_APPEND", "--add-opens=java.base/java.lang=ALL-UNNAMED");
        Process p;
        try {
            Files.createDirectories(log.getParent());
            p = pb.start();
            p.getOutputStream().close();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
        }
        Keycloak kc = new Keycloak(p, port);
        kc.awaitReady(log);
        return kc;
    }

    private void awaitReady(Path log) {
        HttpRequest discovery = HttpRequest.newBuilder(URI.create(issuer() + "/.well-known/openid-configuration"))
                .timeout(Duration.ofSeconds(30))
                .build();
        try {
            Awaitility.await("Keycloak serving realm " + REALM)
                    .atMost(START_TIMEOUT)
                    .pollInterval(Duration.ofMillis(250))
                    .pollInSameThread()
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("Keycloak exited with code " + process.exitValue()
                                    + " before serving realm " + REALM + "; see " + log + ":\n" + tail(log));
                        }
                        try {
                            return HTTP.send(discovery, HttpResponse.BodyHandlers.discarding())
                                            .statusCode()
                                    == 200;
                        } catch (IOException e) {
                            return false; // not listening yet
                        }
                    });
            return;
        } catch (ConditionTimeoutException e) {
            // reported below
        }
        stop();
        throw new IllegalStateException("Keycloak did not serve realm " + REALM + " within " + START_TIMEOUT.toSeconds()
                + " s (raise keyhaven.test.keycloak.start-timeout-seconds on a slow machine); see " + log + ":\n"
                + tail(log));
    }

    /** SIGTERM to kc.sh, which passes it on to its JVM; whatever still runs after 30 s is killed. */
    void stop() {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        process.destroy();
        for (ProcessHandle h : all) {
            h.destroy();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
    }

    private static Path javaHome() {
        String configured = System.getProperty("keyhaven.test.keycloak.java-home");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        if (Files.isExecutable(Path.of(TEMURIN_25, "bin/java"))) {
            return Path.of(TEMURIN_25);
        }
        return Path.of(System.getProperty("java.home"));
    }

    /** The JVM's feature version from its {@code release} file: augmented code is kept per JVM. */
    private static String javaFeature(Path javaHome) {
        try {
            for (String line : Files.readAllLines(javaHome.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    return line.replaceAll("^JAVA_VERSION=\"?(\\d+).*", "$1");
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "unknown";
    }

    private static Path cacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("keyhaven-test");
    }

    private static byte[] realmJson() {
        try (InputStream in = Keycloak.class.getResourceAsStream("/keycloak/keyhaven-realm.json")) {
            if (in == null) {
                throw new IllegalStateException("keycloak/keyhaven-realm.json is not on the test classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Appends how long a start took, for whoever tunes the fixture; losing it is harmless. */
    private static void record(Path file, String line) {
        try {
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // only a timing note
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = new String(Files.readAllBytes(log), StandardCharsets.UTF_8)
                    .lines()
                    .toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }
}
