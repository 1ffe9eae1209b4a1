package dev.keyhaven.server.identity.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * AWS STS on loopback, for the one call AWS auth makes: {@code sts:GetCallerIdentity}. No AWS runs
 * here, so this plays it and checks what STS checks before answering: it serves the region its
 * Host names ({@code sts.<region>.amazonaws.com}) and requires the credential scope to name that
 * region and {@code sts}; the access key must be one it knows (and its session token, if
 * temporary, must come along); {@code host} and {@code x-amz-date} must be signed, and the date
 * must be within 15 minutes; and the SigV4 signature must be the one the AWS SDK signer computes
 * over the request as received with the key's secret. Any change to a signed header or the body
 * therefore gets 403 with AWS's error XML. Successful calls get a real-shaped
 * GetCallerIdentityResponse.
 *
 * <p>The SDK signer always signs {@code x-amz-content-sha256}, so requests must sign it too, as the
 * AWS SDK for Java v2 and the JavaScript SDK v3 (which the Infisical Node SDK uses) do.
 */
public final class StsStandIn implements AutoCloseable {
    private static final Pattern HOST = Pattern.compile("^sts\\.([a-z0-9-]+)\\.amazonaws\\.com$");
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "^AWS4-HMAC-SHA256 Credential=([^/,]+)/(\\d{8})/([^/,]+)/([^/,]+)/([^/,]+), ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    /** A principal the stand-in knows: its keys and what GetCallerIdentity says about it. */
    public record Principal(AwsSigning.Credentials credentials, String account, String arn, String userId) {}

    /** What one request got: the Host it named, the path, the status answered and the AWS error code. */
    public record Received(String host, String path, int status, String code) {}

    private final HttpServer server;
    private final Map<String, Principal> principals = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    public StsStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Makes a principal known (its access key may sign requests). */
    public StsStandIn add(Principal p) {
        principals.put(p.credentials().accessKeyId(), p);
        return this;
    }

    /** The base URL, e.g. {@code http://127.0.0.1:41234/}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        String host = ex.getRequestHeaders().getFirst("Host");
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(64 * 1024);
        }
        Answer a;
        try {
            a = answer(ex, host == null ? "" : host, body);
        } catch (RuntimeException e) {
            a = error(500, "Receiver", "InternalFailure", "stand-in failure: " + e);
        }
        received.add(new Received(host, ex.getRequestURI().getPath(), a.status, a.code));
        byte[] bytes = a.xml.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "text/xml");
        ex.getResponseHeaders().add("x-amzn-RequestId", a.requestId);
        ex.sendResponseHeaders(a.status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private record Answer(int status, String code, String xml, String requestId) {}

    private Answer answer(HttpExchange ex, String host, byte[] body) {
        Matcher h = HOST.matcher(host);
        if (!h.matches()) {
            return error(400, "Sender", "InvalidHostHeader", "This endpoint serves sts.<region>.amazonaws.com only");
        }
        String region = h.group(1);
        if (!ex.getRequestMethod().equals("POST")) {
            return error(400, "Sender", "MissingAction", "Missing Action");
        }
        String authorization = ex.getRequestHeaders().getFirst("Authorization");
        if (authorization == null) {
            return error(403, "Sender", "MissingAuthenticationToken", "Request is missing Authentication Token");
        }
        Matcher a = AUTHORIZATION.matcher(authorization.trim());
        if (!a.matches()) {
            return error(
                    400,
                    "Sender",
                    "IncompleteSignature",
                    "Authorization header requires a valid Credential, " + "SignedHeaders and Signature");
        }
        Principal p = principals.get(a.group(1));
        if (p == null) {
            return error(
                    403, "Sender", "InvalidClientTokenId", "The security token included in the request is invalid.");
        }
        if (!a.group(3).equals(region)
                || !a.group(4).equals("sts")
                || !a.group(5).equals("aws4_request")) {
            return error(
                    403,
                    "Sender",
                    "SignatureDoesNotMatch",
                    "Credential should be scoped to a valid region, not '" + a.group(3) + "', and to the sts service.");
        }
        List<String> signedHeaders = Arrays.asList(a.group(6).split(";"));
        if (!signedHeaders.contains("host") || !signedHeaders.contains("x-amz-date")) {
            return error(403, "Sender", "SignatureDoesNotMatch", "host and x-amz-date must be signed");
        }
        String amzDate = ex.getRequestHeaders().getFirst("X-Amz-Date");
        Instant signedAt;
        try {
            signedAt = LocalDateTime.parse(amzDate == null ? "" : amzDate, AMZ_DATE)
                    .toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return error(400, "Sender", "IncompleteSignature", "X-Amz-Date is missing or invalid");
        }
        if (!amzDate.startsWith(a.group(2))) {
            return error(403, "Sender", "SignatureDoesNotMatch", "Date in Credential scope does not match X-Amz-Date");
        }
        if (Duration.between(signedAt, Instant.now()).abs().compareTo(Duration.ofMinutes(15)) > 0) {
            return error(
                    403,
                    "Sender",
                    "SignatureDoesNotMatch",
                    "Signature expired: " + amzDate + " is now earlier or later than 15 minutes from now");
        }
        String token = ex.getRequestHeaders().getFirst("X-Amz-Security-Token");
        String expected = p.credentials().sessionToken();
        if ((expected == null) != (token == null)
                || (expected != null
                        && !MessageDigest.isEqual(
                                expected.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8)))) {
            return error(
                    403, "Sender", "InvalidClientTokenId", "The security token included in the request is invalid.");
        }
        if (!signatureMatches(ex, host, signedHeaders, a.group(7), region, p, body, signedAt)) {
            return error(
                    403,
                    "Sender",
                    "SignatureDoesNotMatch",
                    "The request signature we calculated does not match "
                            + "the signature you provided. Check your AWS Secret Access Key and signing method. Consult the "
                            + "service documentation for details.");
        }
        Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
        if (!"GetCallerIdentity".equals(form.get("Action"))) {
            return error(
                    400,
                    "Sender",
                    "InvalidAction",
                    "Could not find operation " + form.get("Action") + " for version " + form.get("Version"));
        }
        if (!"2011-06-15".equals(form.get("Version"))) {
            return error(
                    400,
                    "Sender",
                    "InvalidAction",
                    "Could not find operation GetCallerIdentity for version " + form.get("Version"));
        }
        String requestId = UUID.randomUUID().toString();
        return new Answer(200, null, """
                <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <GetCallerIdentityResult>
                    <Arn>%s</Arn>
                    <UserId>%s</UserId>
                    <Account>%s</Account>
                  </GetCallerIdentityResult>
                  <ResponseMetadata>
                    <RequestId>%s</RequestId>
                  </ResponseMetadata>
                </GetCallerIdentityResponse>
                """.formatted(p.arn(), p.userId(), p.account(), requestId), requestId);
    }

    /** Recomputes the signature with the AWS SDK signer over the request as received. */
    private static boolean signatureMatches(
            HttpExchange ex,
            String host,
            List<String> signedHeaders,
            String signature,
            String region,
            Principal p,
            byte[] body,
            Instant signedAt) {
        URI uri = URI.create("https://" + host + ex.getRequestURI().getRawPath());
        SdkHttpRequest.Builder request =
                SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri);
        for (String name : signedHeaders) {
            if (name.equals("host") || name.equals("x-amz-date")) {
                continue; // the signer writes these from the URI and the clock
            }
            List<String> values = ex.getRequestHeaders().get(name);
            if (values == null) {
                return false;
            }
            request.putHeader(name, String.join(",", values));
        }
        AwsCredentialsIdentity key = AwsCredentialsIdentity.create(
                p.credentials().accessKeyId(), p.credentials().secretAccessKey());
        Map<String, String> resigned =
                AwsSigning.sign(key, region, request.build(), new String(body, StandardCharsets.UTF_8), signedAt);
        Matcher m = AUTHORIZATION.matcher(resigned.get("Authorization"));
        if (!m.matches() || !m.group(6).equals(String.join(";", signedHeaders))) {
            return false;
        }
        return MessageDigest.isEqual(
                m.group(7).getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.US_ASCII));
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static Answer error(int status, String type, String code, String message) {
        String requestId = UUID.randomUUID().toString();
        return new Answer(status, code, """
                <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <Error>
                    <Type>%s</Type>
                    <Code>%s</Code>
                    <Message>%s</Message>
                  </Error>
                  <RequestId>%s</RequestId>
                </ErrorResponse>
                """.formatted(type, code, escape(message), requestId), requestId);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;");
    }
}
