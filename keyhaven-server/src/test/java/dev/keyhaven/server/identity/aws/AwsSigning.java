package dev.keyhaven.server.identity.aws;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import tools.jackson.databind.json.JsonMapper;

/**
 * The client side of AWS IAM login, as an AWS SDK does it: an {@code sts:GetCallerIdentity} request
 * signed with SigV4 by the AWS SDK for Java v2 signer, turned into Keyhaven's login body.
 */
public final class AwsSigning {
    public static final String BODY = "Action=GetCallerIdentity&Version=2011-06-15";
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private AwsSigning() {}

    /** AWS credentials; {@code sessionToken} is null for long-term keys. */
    public record Credentials(String accessKeyId, String secretAccessKey, String sessionToken) {
        AwsCredentialsIdentity identity() {
            return sessionToken == null
                    ? AwsCredentialsIdentity.create(accessKeyId, secretAccessKey)
                    : AwsSessionCredentialsIdentity.create(accessKeyId, secretAccessKey, sessionToken);
        }
    }

    /** The headers of a POST to {@code https://<host>/} with {@code body}, signed for {@code region} at {@code time}. */
    public static Map<String, String> sign(Credentials c, String region, String host, String body, Instant time) {
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(URI.create("https://" + host + "/"))
                .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .putHeader("Content-Length", String.valueOf(body.getBytes(StandardCharsets.UTF_8).length))
                .build();
        return sign(c.identity(), region, request, body, time);
    }

    /** Signs an arbitrary request (the stand-in re-signs what it received with this). */
    static Map<String, String> sign(
            AwsCredentialsIdentity identity, String region, SdkHttpRequest request, String body, Instant time) {
        return sign(identity, "sts", region, request, body, time);
    }

    /** Signs an arbitrary request for {@code service} (the KMS stand-in re-signs what it received with this). */
    public static Map<String, String> sign(
            AwsCredentialsIdentity identity,
            String service,
            String region,
            SdkHttpRequest request,
            String body,
            Instant time) {
        SignedRequest signed = SIGNER.sign(r -> r.identity(identity)
                .request(request)
                .payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(time, ZoneOffset.UTC)));
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> h : signed.request().headers().entrySet()) {
            headers.put(h.getKey(), String.join(",", h.getValue()));
        }
        return headers;
    }

    /** The headers of a request signed now for {@code sts.<region>.amazonaws.com}. */
    public static Map<String, String> sign(Credentials c, String region) {
        return sign(c, region, "sts." + region + ".amazonaws.com", BODY, Instant.now());
    }

    /** Keyhaven's (and Infisical's) login body for a signed request. */
    public static Map<String, Object> loginBody(String identityId, Map<String, String> headers, String body) {
        Map<String, Object> login = new LinkedHashMap<>();
        login.put("identityId", identityId);
        login.put("iamHttpRequestMethod", "POST");
        login.put("iamRequestBody", b64(body));
        login.put("iamRequestHeaders", b64(JSON.writeValueAsString(headers)));
        return login;
    }

    public static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
