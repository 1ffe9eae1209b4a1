package dev.keyhaven.server.support;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Google and Microsoft Entra ID for the GCP and Azure auth tests: no cloud runs here, so one
 * loopback server plays their key endpoints with RSA keys generated for the run, on the paths the
 * real ones use ({@code /oauth2/v3/certs}, {@code /service_accounts/v1/metadata/jwk/<email>},
 * {@code /<tenant>/discovery/v2.0/keys}), answering GET only, 404 for a service account it does not
 * know and 400 for a tenant that is not a GUID, as they do. Entra ID signs the tokens of every
 * tenant with the same keys, and so does the stand-in. It also starts one bootstrapped Keyhaven
 * server per database whose key locations ({@code keyhaven.gcp-jwks-url},
 * {@code keyhaven.gcp-service-account-keys-url}, {@code keyhaven.azure-login-url}) point at it,
 * with a per-identity login limit of {@link #LOGIN_RATE_PER_IDENTITY} a minute.
 */
public final class CloudProviderStandIn {
    public static final int LOGIN_RATE_PER_IDENTITY = 30;
    private static final Pattern SA_PATH = Pattern.compile("^/service_accounts/v1/metadata/jwk/([^/]+)$");
    private static final Pattern TENANT_PATH = Pattern.compile("^/([^/]+)/discovery/v2\\.0/keys$");
    private static final Pattern GUID =
            Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

    private static final Map<String, RSAKey> SERVICE_ACCOUNTS = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> FETCHES = new ConcurrentHashMap<>();
    private static final Map<Db, TestServer> SERVERS = new EnumMap<>(Db.class);
    private static RSAKey google;
    private static RSAKey entra;
    private static HttpServer http;

    private CloudProviderStandIn() {}

    /** Google's current ID-token signing key (kid like Google's: 40 hex characters). */
    public static synchronized RSAKey google() {
        start();
        return google;
    }

    /** Entra ID's current signing key (kid like Microsoft's x5t). */
    public static synchronized RSAKey entra() {
        start();
        return entra;
    }

    /** The (system-managed) key of a service account; the account becomes known to the stand-in. */
    public static RSAKey serviceAccount(String email) {
        start();
        return SERVICE_ACCOUNTS.computeIfAbsent(email, e -> rsa(hexKid()));
    }

    /** How many times a path was fetched, e.g. {@code /oauth2/v3/certs}. */
    public static int fetches(String path) {
        return FETCHES.computeIfAbsent(path, p -> new AtomicInteger()).get();
    }

    /** The Keyhaven server for {@code db} that trusts this stand-in. */
    public static synchronized TestServer keyhaven(Db db) {
        start();
        return SERVERS.computeIfAbsent(db, d -> {
            String base = "http://127.0.0.1:" + http.getAddress().getPort();
            TestServer server = TestServers.start(
                    d,
                    d == Db.SQLITE ? null : TestServers.newPgSchemaUrl(),
                    null,
                    "--keyhaven.login-rate-per-ip=0",
                    "--keyhaven.login-rate-per-identity=" + LOGIN_RATE_PER_IDENTITY,
                    "--keyhaven.gcp-jwks-url=" + base + "/oauth2/v3/certs",
                    "--keyhaven.gcp-service-account-keys-url=" + base + "/service_accounts/v1/metadata/jwk/",
                    "--keyhaven.azure-login-url=" + base);
            server.admin = TestServers.bootstrap(server);
            return server;
        });
    }

    /** Signs claims with RS256 and the key's kid, as Google and Entra ID do. */
    public static String sign(RSAKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .keyID(key.getKeyID())
                            .type(JOSEObjectType.JWT)
                            .build(),
                    claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static synchronized void start() {
        if (http != null) {
            return;
        }
        google = rsa(hexKid());
        entra = rsa(UUID.randomUUID().toString().replace("-", "").substring(0, 27));
        try {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        http.createContext("/", CloudProviderStandIn::handle);
        http.start();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            SERVERS.values().forEach(TestServer::close);
                            http.stop(0);
                        },
                        "cloud-stand-in-stop"));
    }

    private static void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        FETCHES.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        if (!ex.getRequestMethod().equals("GET")) {
            send(ex, 405, "{\"error\":\"method not allowed\"}");
            return;
        }
        if (path.equals("/oauth2/v3/certs")) {
            send(ex, 200, jwks(List.of(google), null));
            return;
        }
        Matcher sa = SA_PATH.matcher(path);
        if (sa.matches()) {
            RSAKey key = SERVICE_ACCOUNTS.get(sa.group(1));
            if (key == null) {
                send(ex, 404, "{\"error\":{\"code\":404,\"message\":\"Not found\"}}");
            } else {
                send(ex, 200, jwks(List.of(key), null));
            }
            return;
        }
        Matcher tenant = TENANT_PATH.matcher(path);
        if (tenant.matches()) {
            if (!GUID.matcher(tenant.group(1)).matches()) {
                send(
                        ex,
                        400,
                        "{\"error\":\"invalid_tenant\",\"error_description\":\"AADSTS90002: Tenant not found.\"}");
            } else {
                send(ex, 200, jwks(List.of(entra), "https://login.microsoftonline.com/" + tenant.group(1) + "/v2.0"));
            }
            return;
        }
        send(ex, 404, "{\"error\":\"not found\"}");
    }

    /** The public keys as the provider publishes them; Entra ID's v2 keys also name their issuer. */
    private static String jwks(List<RSAKey> keys, String issuer) {
        List<Map<String, Object>> out = keys.stream()
                .map(k -> {
                    Map<String, Object> m = new LinkedHashMap<>(k.toPublicJWK().toJSONObject());
                    if (issuer == null) {
                        m.put("alg", "RS256"); // Google names the algorithm
                    } else {
                        m.put("x5t", k.getKeyID()); // Entra ID does not, but adds the thumbprint and issuer
                        m.put("issuer", issuer);
                    }
                    return m;
                })
                .toList();
        return com.nimbusds.jose.util.JSONObjectUtils.toJSONString(Map.of("keys", out));
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String hexKid() {
        byte[] b = new byte[20];
        new java.security.SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static RSAKey rsa(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).generate();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
