package dev.keyhaven.server.crypto;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.keyhaven.server.identity.aws.AwsSigning;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * AWS KMS on loopback for the calls the root key provider makes ({@code DescribeKey}, {@code
 * Encrypt}, {@code Decrypt}, JSON 1.1 protocol). Like KMS it checks the SigV4 signature (the
 * credential scope must name its region and {@code kms}, and the signature must be the one the AWS
 * SDK signer computes over the request as received with the access key's secret), refuses unknown
 * access keys and unknown key ids, and keeps its keys to itself: each is an AES-256 key of this
 * stand-in, and a ciphertext blob is {@code key id || nonce || AES-GCM} bound to the encryption
 * context, so another key, another context or a changed byte is refused. A disabled key is refused
 * with {@code DisabledException}, as KMS does after {@code DisableKey}.
 */
final class KmsStandIn implements AutoCloseable {
    static final String REGION = "eu-west-1";
    static final String ACCOUNT = "111122223333";
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "^AWS4-HMAC-SHA256 Credential=([^/,]+)/(\\d{8})/([^/,]+)/([^/,]+)/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpServer server;
    private final Map<String, String> accessKeys = new ConcurrentHashMap<>();
    private final Map<String, SecretKey> keys = new ConcurrentHashMap<>();
    private final Set<String> disabled = ConcurrentHashMap.newKeySet();
    private final AtomicInteger refused = new AtomicInteger();

    KmsStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Lets an access key sign requests. */
    KmsStandIn allow(String accessKeyId, String secretAccessKey) {
        accessKeys.put(accessKeyId, secretAccessKey);
        return this;
    }

    /** Makes a new key and returns its id (a UUID, as KMS gives). */
    String createKey() {
        try {
            KeyGenerator g = KeyGenerator.getInstance("AES");
            g.init(256);
            String id = UUID.randomUUID().toString();
            keys.put(id, g.generateKey());
            return id;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Disables a key as {@code DisableKey} does: KMS then refuses Encrypt and Decrypt with it. */
    void disable(String keyId) {
        disabled.add(keyId);
    }

    /** Enables a disabled key again ({@code EnableKey}). */
    void enable(String keyId) {
        disabled.remove(keyId);
    }

    static String arn(String keyId) {
        return "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/" + keyId;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Requests refused for a bad signature or an unknown access key. */
    int refusedSignatures() {
        return refused.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private record Answer(int status, String json) {}

    private void handle(HttpExchange ex) throws IOException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(256 * 1024);
        }
        Answer a;
        try {
            a = answer(ex, body);
        } catch (RuntimeException e) {
            a = error(500, "KMSInternalException", "stand-in failure: " + e);
        }
        byte[] bytes = a.json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
        ex.getResponseHeaders().add("x-amzn-RequestId", UUID.randomUUID().toString());
        ex.sendResponseHeaders(a.status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private Answer answer(HttpExchange ex, byte[] body) {
        String authorization = ex.getRequestHeaders().getFirst("Authorization");
        Matcher a = AUTHORIZATION.matcher(authorization == null ? "" : authorization.trim());
        if (!a.matches()) {
            return error(400, "IncompleteSignatureException", "Authorization header is missing or malformed");
        }
        String secret = accessKeys.get(a.group(1));
        if (secret == null) {
            refused.incrementAndGet();
            return error(400, "UnrecognizedClientException", "The security token included in the request is invalid.");
        }
        if (!a.group(3).equals(REGION) || !a.group(4).equals("kms")) {
            refused.incrementAndGet();
            return error(400, "InvalidSignatureException", "Credential should be scoped to " + REGION + " and kms");
        }
        String amzDate = ex.getRequestHeaders().getFirst("X-Amz-Date");
        Instant signedAt =
                LocalDateTime.parse(amzDate == null ? "" : amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        List<String> signedHeaders = Arrays.asList(a.group(5).split(";"));
        if (!signedHeaders.contains("host")
                || !signedHeaders.contains("x-amz-date")
                || !signatureMatches(ex, signedHeaders, a.group(6), a.group(1), secret, body, signedAt)) {
            refused.incrementAndGet();
            return error(400, "InvalidSignatureException", "The request signature we calculated does not match");
        }
        String target = String.valueOf(ex.getRequestHeaders().getFirst("X-Amz-Target"));
        JsonNode req = JSON.readTree(body);
        return switch (target) {
            case "TrentService.DescribeKey" -> describe(req);
            case "TrentService.Encrypt" -> encrypt(req);
            case "TrentService.Decrypt" -> decrypt(req);
            default -> error(400, "UnknownOperationException", target);
        };
    }

    private Answer describe(JsonNode req) {
        String id = keyId(req.path("KeyId").asString());
        if (id == null) {
            return notFound(req.path("KeyId").asString());
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("KeyId", id);
        meta.put("Arn", arn(id));
        meta.put("Enabled", !disabled.contains(id));
        meta.put("KeyState", disabled.contains(id) ? "Disabled" : "Enabled");
        meta.put("KeyUsage", "ENCRYPT_DECRYPT");
        meta.put("KeySpec", "SYMMETRIC_DEFAULT");
        return new Answer(200, JSON.writeValueAsString(Map.of("KeyMetadata", meta)));
    }

    private Answer encrypt(JsonNode req) {
        String id = keyId(req.path("KeyId").asString());
        if (id == null) {
            return notFound(req.path("KeyId").asString());
        }
        if (disabled.contains(id)) {
            return disabledError(id);
        }
        byte[] plaintext = Base64.getDecoder().decode(req.path("Plaintext").asString());
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        byte[] idBytes = id.getBytes(StandardCharsets.US_ASCII);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, keys.get(id), new GCMParameterSpec(128, nonce));
            c.updateAAD(context(req));
            byte[] sealed = c.doFinal(plaintext);
            byte[] blob = new byte[idBytes.length + nonce.length + sealed.length];
            System.arraycopy(idBytes, 0, blob, 0, idBytes.length);
            System.arraycopy(nonce, 0, blob, idBytes.length, nonce.length);
            System.arraycopy(sealed, 0, blob, idBytes.length + nonce.length, sealed.length);
            return new Answer(
                    200,
                    JSON.writeValueAsString(Map.of(
                            "CiphertextBlob", Base64.getEncoder().encodeToString(blob),
                            "KeyId", arn(id),
                            "EncryptionAlgorithm", "SYMMETRIC_DEFAULT")));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private Answer decrypt(JsonNode req) {
        byte[] blob = Base64.getDecoder().decode(req.path("CiphertextBlob").asString());
        if (blob.length < 36 + 12 + 16) {
            return error(400, "InvalidCiphertextException", "");
        }
        String id = new String(blob, 0, 36, StandardCharsets.US_ASCII);
        if (!keys.containsKey(id)) {
            return error(400, "InvalidCiphertextException", "");
        }
        if (!req.path("KeyId").isMissingNode()
                && !id.equals(keyId(req.path("KeyId").asString()))) {
            return error(400, "IncorrectKeyException", "The key ID in the request does not identify the key");
        }
        if (disabled.contains(id)) {
            return disabledError(id);
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, keys.get(id), new GCMParameterSpec(128, blob, 36, 12));
            c.updateAAD(context(req));
            byte[] plaintext = c.doFinal(blob, 48, blob.length - 48);
            return new Answer(
                    200,
                    JSON.writeValueAsString(Map.of(
                            "Plaintext", Base64.getEncoder().encodeToString(plaintext),
                            "KeyId", arn(id),
                            "EncryptionAlgorithm", "SYMMETRIC_DEFAULT")));
        } catch (GeneralSecurityException e) {
            return error(400, "InvalidCiphertextException", "");
        }
    }

    /** The key a KeyId or ARN names, or null for one this stand-in does not hold. */
    private String keyId(String given) {
        String id = given.startsWith("arn:") ? given.substring(given.lastIndexOf('/') + 1) : given;
        if (given.startsWith("arn:") && !given.equals(arn(id))) {
            return null;
        }
        return keys.containsKey(id) ? id : null;
    }

    private static byte[] context(JsonNode req) {
        Map<String, String> sorted = new TreeMap<>();
        req.path("EncryptionContext")
                .properties()
                .forEach(e -> sorted.put(e.getKey(), e.getValue().asString()));
        return JSON.writeValueAsString(sorted).getBytes(StandardCharsets.UTF_8);
    }

    private static Answer disabledError(String keyId) {
        return error(400, "DisabledException", arn(keyId) + " is disabled.");
    }

    private static Answer notFound(String keyId) {
        return error(400, "NotFoundException", "Key '" + keyId + "' does not exist");
    }

    private static Answer error(int status, String type, String message) {
        return new Answer(status, JSON.writeValueAsString(Map.of("__type", type, "message", message)));
    }

    /** Recomputes the signature with the AWS SDK signer over the request as received. */
    private static boolean signatureMatches(
            HttpExchange ex,
            List<String> signedHeaders,
            String signature,
            String accessKeyId,
            String secret,
            byte[] body,
            Instant signedAt) {
        String host = ex.getRequestHeaders().getFirst("Host");
        SdkHttpRequest.Builder request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.fromValue(ex.getRequestMethod()))
                .uri(URI.create("http://" + host + ex.getRequestURI().getRawPath()));
        for (String name : signedHeaders) {
            if (name.equals("host") || name.equals("x-amz-date")) {
                continue;
            }
            List<String> values = ex.getRequestHeaders().get(name);
            if (values == null) {
                return false;
            }
            request.putHeader(name, String.join(",", values));
        }
        Map<String, String> resigned = AwsSigning.sign(
                AwsCredentialsIdentity.create(accessKeyId, secret),
                "kms",
                REGION,
                request.build(),
                new String(body, StandardCharsets.UTF_8),
                signedAt);
        Matcher m = AUTHORIZATION.matcher(resigned.get("Authorization"));
        return m.matches()
                && m.group(5).equals(String.join(";", signedHeaders))
                && MessageDigest.isEqual(
                        m.group(6).getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.US_ASCII));
    }
}
