package dev.keyhaven.server.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.keyhaven.server.platform.config.KeyhavenProperties;
import dev.keyhaven.server.platform.config.StartupException;
import dev.keyhaven.server.platform.outbound.OutboundHttp;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Where the STS client sends, and what it makes of STS's answers, against a loopback server. */
class AwsStsClientTest {
    private HttpServer server;
    private final AtomicReference<String> answer = new AtomicReference<>();
    private final AtomicReference<Integer> status = new AtomicReference<>(200);

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            byte[] b = answer.get().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status.get(), b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static KeyhavenProperties props(String allowlist, String template) {
        return new KeyhavenProperties(
                null, null, null, null, null, null, null, null, allowlist, null, null, null, null, null, template);
    }

    private AwsStsClient client() {
        KeyhavenProperties p =
                props("127.0.0.0/8", "http://127.0.0.1:" + server.getAddress().getPort() + "/");
        return new AwsStsClient(new OutboundHttp(p), JsonMapper.builder().build(), p);
    }

    private static AwsSignedRequest request() {
        return new AwsSignedRequest(
                "us-east-1",
                "sts.us-east-1.amazonaws.com",
                List.of(),
                AwsSignedRequest.BODY.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void withoutATemplateTheRegionalStsEndpointIsCalled() {
        KeyhavenProperties p = props(null, null);
        AwsStsClient c =
                new AwsStsClient(new OutboundHttp(p), JsonMapper.builder().build(), p);
        assertThat(c.endpoint("ap-southeast-2")).isEqualTo("https://sts.ap-southeast-2.amazonaws.com/");
        KeyhavenProperties t = props(null, "https://sts.{region}.vpce.example.internal/");
        assertThat(new AwsStsClient(new OutboundHttp(t), JsonMapper.builder().build(), t).endpoint("eu-west-1"))
                .isEqualTo("https://sts.eu-west-1.vpce.example.internal/");
    }

    @Test
    void aTemplateThatIsNotAPlainHttpUrlStopsTheServer() {
        for (String bad : new String[] {"ftp://sts/", "https://user@sts/", "https://sts/?x=1", "not a url"}) {
            assertThatThrownBy(() -> AwsStsClient.checkTemplate(bad)).as(bad).isInstanceOf(StartupException.class);
        }
    }

    @Test
    void xmlAndJsonAnswersAreRead() {
        answer.set("""
                <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <GetCallerIdentityResult><Arn>arn:aws:iam::111122223333:user/ci</Arn><UserId>AIDA1</UserId>
                  <Account>111122223333</Account></GetCallerIdentityResult>
                </GetCallerIdentityResponse>""");
        assertThat(client().getCallerIdentity(request()))
                .isEqualTo(
                        new AwsStsClient.CallerIdentity("111122223333", "arn:aws:iam::111122223333:user/ci", "AIDA1"));
        answer.set("{\"GetCallerIdentityResponse\":{\"GetCallerIdentityResult\":{\"Account\":\"111122223333\","
                + "\"Arn\":\"arn:aws:iam::111122223333:user/ci\",\"UserId\":\"AIDA1\"}}}");
        assertThat(client().getCallerIdentity(request()).arn()).isEqualTo("arn:aws:iam::111122223333:user/ci");
    }

    @Test
    void anAnswerWithADoctypeIsNotParsed() {
        answer.set("""
                <?xml version="1.0"?>
                <!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>
                <GetCallerIdentityResponse><GetCallerIdentityResult><Arn>&xxe;</Arn><UserId>u</UserId>
                <Account>111122223333</Account></GetCallerIdentityResult></GetCallerIdentityResponse>""");
        assertThatThrownBy(() -> client().getCallerIdentity(request()))
                .isInstanceOf(AwsLoginRejected.class)
                .hasMessageContaining("without a valid GetCallerIdentityResult");
    }

    @Test
    void aRefusalIsReportedByItsCodeOnlyNeverItsMessage() {
        status.set(403);
        answer.set("""
                <ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code>
                <Message>The Canonical String for this request should have been 'x-amz-security-token:SECRET-TOKEN'</Message>
                </Error></ErrorResponse>""");
        assertThatThrownBy(() -> client().getCallerIdentity(request()))
                .isInstanceOf(AwsLoginRejected.class)
                .hasMessage("STS refused the signed request: SignatureDoesNotMatch (status 403)");
    }

    @Test
    void aBlockedEndpointIsNotCalled() {
        KeyhavenProperties p =
                props(null, "http://127.0.0.1:" + server.getAddress().getPort() + "/");
        AwsStsClient guarded =
                new AwsStsClient(new OutboundHttp(p), JsonMapper.builder().build(), p);
        assertThatThrownBy(() -> guarded.getCallerIdentity(request()))
                .isInstanceOf(AwsLoginRejected.class)
                .hasMessageContaining("blocked address");
    }
}
