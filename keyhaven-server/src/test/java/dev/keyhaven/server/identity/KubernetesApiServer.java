package dev.keyhaven.server.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.keyhaven.server.support.Api;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import tools.jackson.databind.JsonNode;

/**
 * Plays a Kubernetes API server on loopback HTTPS, for the Kubernetes auth tests (no cluster runs
 * here). Like a real one it has its own CA and serving certificate (for 127.0.0.1), issues
 * service-account tokens signed with its issuer key (RS256, with a {@code kid}, the
 * {@code kubernetes.io} claim and {@code sub}), serves its OIDC discovery document and JWKS, and
 * answers {@code POST /apis/authentication.k8s.io/v1/tokenreviews} the way kube-apiserver does:
 * the bearer must be a valid token of a service account bound to {@code system:auth-delegator}
 * (else 401 / 403 {@code Status}), the body must be a v1 {@code TokenReview}, and the reviewed token
 * is checked for signature, expiry, audience (the spec's audiences, default the API server's own)
 * and that its service account still exists. Answers are real {@code TokenReview} objects with
 * status 201, including denials ({@code status.error}).
 *
 * <p>{@code audienceAware = false} plays an API server from before audience-aware authentication
 * (Kubernetes below 1.13): it ignores {@code spec.audiences} and returns no {@code status.audiences}.
 */
final class KubernetesApiServer implements AutoCloseable {
    static final String API_AUDIENCE = "https://kubernetes.default.svc.cluster.local";
    static final String REVIEW_PATH = "/apis/authentication.k8s.io/v1/tokenreviews";

    /** One request the server received at the TokenReview path, as sent. */
    record Received(String method, String contentType, String authorization, String body) {
        JsonNode json() {
            return Api.JSON.readTree(body);
        }
    }

    final Ca ca;
    final RSAKey signingKey;
    final String url;
    final List<Received> reviews = new CopyOnWriteArrayList<>();
    private final boolean audienceAware;
    private final HttpsServer server;
    private final Set<String> authDelegators = ConcurrentHashMap.newKeySet();
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();
    private final AtomicLong serial = new AtomicLong(2);

    private KubernetesApiServer(boolean audienceAware) throws Exception {
        this.audienceAware = audienceAware;
        this.ca = Ca.generate("kubernetes");
        this.signingKey =
                new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
        this.server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ca.serverContext("127.0.0.1", serial.getAndIncrement())));
        this.url = "https://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/", this::handle);
        server.start();
    }

    static KubernetesApiServer start(boolean audienceAware) {
        try {
            return new KubernetesApiServer(audienceAware);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The service-account issuer: like a cluster whose --service-account-issuer is its API server URL. */
    String issuer() {
        return url;
    }

    /** {@code kubectl create clusterrolebinding … --clusterrole=system:auth-delegator --serviceaccount=ns:name}. */
    void grantTokenReview(String namespace, String name) {
        authDelegators.add(username(namespace, name));
    }

    void deleteServiceAccount(String namespace, String name) {
        deleted.add(username(namespace, name));
    }

    /** A bound service-account token as the kubelet projects it, valid for an hour. */
    String token(String namespace, String name, String... audiences) {
        return sign(claims(namespace, name, Instant.now().plusSeconds(3600), audiences)
                .build());
    }

    JWTClaimsSet.Builder claims(String namespace, String name, Instant expiry, String... audiences) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(issuer())
                .subject(username(namespace, name))
                .audience(List.of(audiences))
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(expiry == null ? null : Date.from(expiry))
                .jwtID(UUID.randomUUID().toString())
                .claim(
                        "kubernetes.io",
                        Map.of(
                                "namespace",
                                namespace,
                                "pod",
                                Map.of(
                                        "name",
                                        name + "-7c9d",
                                        "uid",
                                        UUID.randomUUID().toString()),
                                "serviceaccount",
                                Map.of("name", name, "uid", UUID.randomUUID().toString())));
    }

    String sign(JWTClaimsSet claims) {
        return sign(signingKey, claims);
    }

    static String sign(RSAKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .keyID(key.getKeyID())
                            .type(JOSEObjectType.JWT)
                            .build(),
                    claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String username(String namespace, String name) {
        return "system:serviceaccount:" + namespace + ":" + name;
    }

    /** The reviews whose spec named this token. */
    List<Received> reviewsOf(String token) {
        return reviews.stream()
                .filter(r -> token.equals(r.json().path("spec").path("token").asString("")))
                .toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (path.equals("/.well-known/openid-configuration")
                    && ex.getRequestMethod().equals("GET")) {
                send(
                        ex,
                        200,
                        Map.of(
                                "issuer",
                                issuer(),
                                "jwks_uri",
                                url + "/openid/v1/jwks",
                                "response_types_supported",
                                List.of("id_token"),
                                "subject_types_supported",
                                List.of("public"),
                                "id_token_signing_alg_values_supported",
                                List.of("RS256")));
            } else if (path.equals("/openid/v1/jwks") && ex.getRequestMethod().equals("GET")) {
                send(ex, 200, new JWKSet(signingKey.toPublicJWK()).toJSONObject());
            } else if (path.equals(REVIEW_PATH)) {
                tokenReview(ex);
            } else {
                send(ex, 404, status(404, "NotFound", "the server could not find the requested resource"));
            }
        }
    }

    private void tokenReview(HttpExchange ex) throws IOException {
        String body;
        try (InputStream in = ex.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String contentType = ex.getRequestHeaders().getFirst("Content-Type");
        String authorization = ex.getRequestHeaders().getFirst("Authorization");
        reviews.add(new Received(ex.getRequestMethod(), contentType, authorization, body));
        String bearer =
                authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : null;
        Identity requester = bearer == null
                ? null
                : authenticate(bearer, List.of(API_AUDIENCE)).identity();
        if (requester == null) {
            send(ex, 401, status(401, "Unauthorized", "Unauthorized"));
            return;
        }
        if (!ex.getRequestMethod().equals("POST")) {
            send(
                    ex,
                    405,
                    status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource"));
            return;
        }
        if (!authDelegators.contains(requester.username())) {
            send(
                    ex,
                    403,
                    status(
                            403,
                            "Forbidden",
                            "tokenreviews.authentication.k8s.io is forbidden: User \""
                                    + requester.username() + "\" cannot create resource \"tokenreviews\" in API group "
                                    + "\"authentication.k8s.io\" at the cluster scope"));
            return;
        }
        if (contentType == null || !contentType.startsWith("application/json")) {
            send(ex, 415, status(415, "UnsupportedMediaType", "the body of the request was in an unknown format"));
            return;
        }
        JsonNode review;
        try {
            review = Api.JSON.readTree(body);
        } catch (RuntimeException e) {
            send(ex, 400, status(400, "BadRequest", "the object provided is unrecognized"));
            return;
        }
        JsonNode spec = review.path("spec");
        if (!"authentication.k8s.io/v1".equals(review.path("apiVersion").asString(""))
                || !"TokenReview".equals(review.path("kind").asString(""))
                || !spec.path("token").isString()
                || (spec.has("audiences") && !spec.path("audiences").isArray())) {
            send(ex, 400, status(400, "BadRequest", "the object provided is unrecognized"));
            return;
        }
        List<String> wanted = new ArrayList<>();
        spec.path("audiences").forEach(a -> wanted.add(a.asString("")));
        Authentication result = authenticate(
                spec.path("token").asString(), !audienceAware || wanted.isEmpty() ? List.of(API_AUDIENCE) : wanted);
        Map<String, Object> status = new LinkedHashMap<>();
        if (result.identity() == null) {
            status.put("user", Map.of());
            status.put("error", "[invalid bearer token, " + result.error() + "]");
        } else {
            Identity id = result.identity();
            status.put("authenticated", true);
            status.put(
                    "user",
                    Map.of(
                            "username",
                            id.username(),
                            "uid",
                            UUID.randomUUID().toString(),
                            "groups",
                            List.of(
                                    "system:serviceaccounts",
                                    "system:serviceaccounts:" + id.namespace(),
                                    "system:authenticated"),
                            "extra",
                            Map.of("authentication.kubernetes.io/pod-name", List.of(id.name() + "-7c9d"))));
            if (audienceAware) {
                status.put("audiences", result.audiences());
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("kind", "TokenReview");
        answer.put("apiVersion", "authentication.k8s.io/v1");
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("creationTimestamp", null);
        answer.put("metadata", metadata);
        answer.put("spec", Api.JSON.convertValue(spec, Map.class));
        answer.put("status", status);
        send(ex, 201, answer);
    }

    private record Identity(String namespace, String name) {
        String username() {
            return KubernetesApiServer.username(namespace, name);
        }
    }

    private record Authentication(Identity identity, List<String> audiences, String error) {
        static Authentication denied(String error) {
            return new Authentication(null, List.of(), error);
        }
    }

    /** kube-apiserver's service-account token authenticator, audience-aware unless told otherwise. */
    private Authentication authenticate(String token, List<String> targetAudiences) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            if (!jwt.verify(new RSASSAVerifier(signingKey.toRSAPublicKey()))) {
                return Authentication.denied("square/go-jose: error in cryptographic primitive");
            }
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | JOSEException | IllegalStateException e) {
            return Authentication.denied("square/go-jose: compact JWS format must have three parts");
        }
        if (!issuer().equals(claims.getIssuer())) {
            return Authentication.denied("token issuer is not accepted");
        }
        if (claims.getExpirationTime() == null || claims.getExpirationTime().before(new Date())) {
            return Authentication.denied("service account token has expired");
        }
        List<String> matched =
                claims.getAudience().stream().filter(targetAudiences::contains).toList();
        if (audienceAware && matched.isEmpty()) {
            return Authentication.denied("token audiences " + quoted(claims.getAudience())
                    + " is invalid for the target audiences " + quoted(targetAudiences) + ", unknown");
        }
        Map<String, Object> k8s;
        try {
            k8s = claims.getJSONObjectClaim("kubernetes.io");
        } catch (ParseException e) {
            return Authentication.denied("invalid kubernetes.io claim");
        }
        String namespace = String.valueOf(k8s.get("namespace"));
        String name = String.valueOf(((Map<?, ?>) k8s.get("serviceaccount")).get("name"));
        if (deleted.contains(username(namespace, name))) {
            return Authentication.denied("service account " + namespace + "/" + name + " has been deleted");
        }
        return new Authentication(new Identity(namespace, name), matched, null);
    }

    private static String quoted(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").toList().toString().replace(", ", " ");
    }

    private static Map<String, Object> status(int code, String reason, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "Status");
        m.put("apiVersion", "v1");
        m.put("metadata", Map.of());
        m.put("status", "Failure");
        m.put("message", message);
        m.put("reason", reason);
        m.put("code", code);
        return m;
    }

    private static void send(HttpExchange ex, int code, Object body) throws IOException {
        byte[] bytes = Api.JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** A certificate authority made for the test, issuing one serving certificate. */
    record Ca(KeyPair keys, X509Certificate certificate) {
        static Ca generate(String commonName) throws Exception {
            KeyPair keys = rsa();
            X500Name name = new X500Name("CN=" + commonName + "-ca");
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    name, BigInteger.ONE, notBefore(), notAfter(), name, keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new Ca(keys, sign(b, keys));
        }

        String pem() {
            try {
                return "-----BEGIN CERTIFICATE-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(certificate.getEncoded())
                        + "\n-----END CERTIFICATE-----\n";
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** TLS for a server at {@code ip}, with a certificate this CA signs (SAN = the IP, as kubeadm does). */
        SSLContext serverContext(String ip, long serial) throws Exception {
            KeyPair serverKeys = rsa();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    new X500Name(certificate.getSubjectX500Principal().getName()),
                    BigInteger.valueOf(serial),
                    notBefore(),
                    notAfter(),
                    new X500Name("CN=kube-apiserver"),
                    serverKeys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(
                    Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, ip),
                new GeneralName(GeneralName.dNSName, "kubernetes.default.svc")
            }));
            X509Certificate cert = sign(b, keys);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] password = "changeit".toCharArray();
            ks.setKeyEntry("apiserver", serverKeys.getPrivate(), password, new Certificate[] {cert, certificate});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        }

        private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair issuer) throws Exception {
            return new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuer.getPrivate())));
        }

        private static KeyPair rsa() throws Exception {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        }

        private static Date notBefore() {
            return Date.from(Instant.now().minus(Duration.ofHours(1)));
        }

        private static Date notAfter() {
            return Date.from(Instant.now().plus(Duration.ofDays(1)));
        }
    }
}
