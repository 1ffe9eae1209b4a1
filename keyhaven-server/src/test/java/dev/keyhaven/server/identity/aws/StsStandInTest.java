package dev.keyhaven.server.identity.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The STS stand-in refuses what AWS STS refuses, so the AWS-auth tests that rely on it can fail:
 * requests signed by the AWS SDK signer pass, and any change to them does not.
 */
class StsStandInTest {
    static final AwsSigning.Credentials KEY =
            new AwsSigning.Credentials("AKIAKEYHAVENTEST0001", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYKEYHAVEN01", null);
    static final AwsSigning.Credentials SESSION = new AwsSigning.Credentials(
            "ASIAKEYHAVENTEST0002",
            "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbKEYHAVEN02",
            "IQoJb3JpZ2luX2VjEKEYHAVEN-session-token");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static StsStandIn sts;

    @BeforeAll
    static void start() throws Exception {
        sts = new StsStandIn()
                .add(new StsStandIn.Principal(KEY, "111122223333", "arn:aws:iam::111122223333:user/ci", "AIDAKEYHAVEN"))
                .add(new StsStandIn.Principal(
                        SESSION,
                        "111122223333",
                        "arn:aws:sts::111122223333:assumed-role/deploy/i-0abc",
                        "AROAKEYHAVEN:i-0abc"));
    }

    @AfterAll
    static void stop() {
        sts.close();
    }

    private static HttpResponse<String> send(Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(sts.url())).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach((k, v) -> {
            if (!k.equalsIgnoreCase("Content-Length")) {
                b.header(k, v);
            }
        });
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRequestSignedByTheAwsSdkIsAnsweredWithTheCallersIdentity() throws Exception {
        HttpResponse<String> res = send(AwsSigning.sign(KEY, "us-east-1"), AwsSigning.BODY);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        assertThat(res.body())
                .contains("<Arn>arn:aws:iam::111122223333:user/ci</Arn>")
                .contains("<Account>111122223333</Account>");

        HttpResponse<String> session = send(AwsSigning.sign(SESSION, "eu-west-1"), AwsSigning.BODY);
        assertThat(session.statusCode()).as(session.body()).isEqualTo(200);
        assertThat(session.body()).contains("assumed-role/deploy/i-0abc");
    }

    @Test
    void aChangedBodyOrSignedHeaderOrWrongSecretIsRefusedWith403() throws Exception {
        Map<String, String> signed = AwsSigning.sign(KEY, "us-east-1");
        assertThat(send(signed, "Action=GetCallerIdentity&Version=2011-06-16").body())
                .contains("SignatureDoesNotMatch");

        Map<String, String> changed = new LinkedHashMap<>(signed);
        changed.put("Content-Type", "application/x-www-form-urlencoded");
        HttpResponse<String> res = send(changed, AwsSigning.BODY);
        assertThat(res.statusCode()).isEqualTo(403);
        assertThat(res.body()).contains("<Code>SignatureDoesNotMatch</Code>");

        AwsSigning.Credentials wrongSecret = new AwsSigning.Credentials(KEY.accessKeyId(), "not-the-secret", null);
        assertThat(send(AwsSigning.sign(wrongSecret, "us-east-1"), AwsSigning.BODY)
                        .statusCode())
                .isEqualTo(403);

        AwsSigning.Credentials unknown = new AwsSigning.Credentials("AKIAUNKNOWN000000000", "x", null);
        assertThat(send(AwsSigning.sign(unknown, "us-east-1"), AwsSigning.BODY).body())
                .contains("InvalidClientTokenId");
    }

    @Test
    void aRequestForAnotherRegionOrTooOldOrWithoutItsSessionTokenIsRefused() throws Exception {
        Map<String, String> euWest = AwsSigning.sign(KEY, "eu-west-1");
        Map<String, String> sentToUsEast = new LinkedHashMap<>(euWest);
        sentToUsEast.put("Host", "sts.us-east-1.amazonaws.com");
        assertThat(send(sentToUsEast, AwsSigning.BODY).body())
                .contains("Credential should be scoped to a valid region");

        Map<String, String> old = AwsSigning.sign(
                KEY,
                "us-east-1",
                "sts.us-east-1.amazonaws.com",
                AwsSigning.BODY,
                Instant.now().minusSeconds(16 * 60));
        assertThat(send(old, AwsSigning.BODY).body()).contains("Signature expired");

        Map<String, String> noToken = new LinkedHashMap<>(AwsSigning.sign(SESSION, "us-east-1"));
        noToken.remove("X-Amz-Security-Token");
        assertThat(send(noToken, AwsSigning.BODY).body()).contains("InvalidClientTokenId");
    }

    @Test
    void onlyGetCallerIdentityIsServed() throws Exception {
        String other = "Action=AssumeRole&Version=2011-06-15";
        HttpResponse<String> res =
                send(AwsSigning.sign(KEY, "us-east-1", "sts.us-east-1.amazonaws.com", other, Instant.now()), other);
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(res.body()).contains("InvalidAction");
    }
}
