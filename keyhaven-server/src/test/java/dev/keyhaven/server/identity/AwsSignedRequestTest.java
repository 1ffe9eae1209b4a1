package dev.keyhaven.server.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** What the server accepts from a client's signed GetCallerIdentity request before replaying it. */
class AwsSignedRequestTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private static Map<String, Object> headers(String region) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20260301/" + region
                        + "/sts/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-date, Signature="
                        + "a".repeat(64));
        h.put("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        h.put("Content-Length", "43");
        h.put("Host", "sts." + region + ".amazonaws.com");
        h.put("X-Amz-Date", "20260301T115500Z");
        h.put("Connection", "keep-alive");
        return h;
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static AwsSignedRequest parse(Map<String, Object> headers) {
        return AwsSignedRequest.parse(
                null, b64(AwsSignedRequest.BODY), b64(JSON.writeValueAsString(headers)), NOW, JSON);
    }

    @Test
    void theRegionComesFromTheCredentialScopeAndPicksTheStsHost() {
        AwsSignedRequest r = parse(headers("eu-central-1"));
        assertThat(r.region()).isEqualTo("eu-central-1");
        assertThat(r.stsHost()).isEqualTo("sts.eu-central-1.amazonaws.com");
        Map<String, Object> china = headers("cn-north-1");
        china.put("Host", "sts.cn-north-1.amazonaws.com.cn");
        assertThat(parse(china).stsHost()).isEqualTo("sts.cn-north-1.amazonaws.com.cn");
        assertThat(parse(headers("us-gov-west-1")).stsHost()).isEqualTo("sts.us-gov-west-1.amazonaws.com");
    }

    @Test
    void hostLengthAndConnectionHeadersAreNotForwarded() {
        assertThat(parse(headers("us-east-1")).headers())
                .extracting(Map.Entry::getKey)
                .containsExactly("Authorization", "Content-Type", "X-Amz-Date");
    }

    @Test
    void aRegionMustLookLikeAnAwsRegion() {
        for (String bad : new String[] {
            "us-east-1.evil.example",
            "127.0.0.1:8080#",
            "US-EAST-1",
            "us-east-1a",
            "x",
            "us-east-1?",
            "us east 1",
            "us-east-1@evil"
        }) {
            assertThatThrownBy(() -> parse(headers(bad)))
                    .as(bad)
                    .isInstanceOf(AwsLoginRejected.class)
                    .hasMessage("Invalid AWS region");
        }
    }

    @Test
    void aHostOtherThanTheRegionsStsIsRefused() {
        Map<String, Object> h = headers("us-east-1");
        h.put("host", "sts.us-east-1.amazonaws.com.evil.example");
        h.remove("Host");
        assertThatThrownBy(() -> parse(h))
                .isInstanceOf(AwsLoginRejected.class)
                .hasMessageContaining("another host than sts.us-east-1.amazonaws.com");
    }

    @Test
    void duplicateOrInjectedHeadersAreRefused() {
        Map<String, Object> twice = headers("us-east-1");
        twice.put("x-amz-date", "20260301T115500Z");
        assertThatThrownBy(() -> parse(twice))
                .isInstanceOf(AwsLoginRejected.class)
                .hasMessageContaining("twice");
        Map<String, Object> crlf = headers("us-east-1");
        crlf.put("X-Extra", "a\r\nHost: evil.example");
        assertThatThrownBy(() -> parse(crlf)).isInstanceOf(AwsLoginRejected.class);
        Map<String, Object> number = headers("us-east-1");
        number.put("X-Extra", 5);
        assertThatThrownBy(() -> parse(number)).isInstanceOf(AwsLoginRejected.class);
    }

    @Test
    void theDateMustBeWithin15MinutesEitherWay() {
        Map<String, Object> old = headers("us-east-1");
        old.put("X-Amz-Date", "20260301T114459Z");
        assertThatThrownBy(() -> parse(old)).hasMessageContaining("ago");
        Map<String, Object> future = headers("us-east-1");
        future.put("X-Amz-Date", "20260301T121501Z");
        assertThatThrownBy(() -> parse(future)).hasMessageContaining("in the future");
    }

    @Test
    void onlyAPostOfTheGetCallerIdentityBodyIsAccepted() {
        String h = b64(JSON.writeValueAsString(headers("us-east-1")));
        assertThatThrownBy(() -> AwsSignedRequest.parse("GET", b64(AwsSignedRequest.BODY), h, NOW, JSON))
                .hasMessageContaining("POST");
        assertThatThrownBy(() -> AwsSignedRequest.parse(
                        "POST", b64("Action=GetCallerIdentity&Version=2011-06-15 "), h, NOW, JSON))
                .hasMessageContaining("iamRequestBody must be");
        assertThat(AwsSignedRequest.parse("post", b64(AwsSignedRequest.BODY), h, NOW, JSON)
                        .body())
                .isEqualTo(AwsSignedRequest.BODY.getBytes(StandardCharsets.UTF_8));
    }
}
