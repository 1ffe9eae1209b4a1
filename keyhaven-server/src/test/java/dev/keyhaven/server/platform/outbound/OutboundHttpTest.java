package dev.keyhaven.server.platform.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The outbound guard: blocked address ranges, the operator allowlist, redirects and size limits. */
class OutboundHttpTest {
    private HttpServer server;
    private String base;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/ok", ex -> send(ex, 200, "{\"keys\":[]}".getBytes(StandardCharsets.UTF_8)));
        server.createContext("/redirect", ex -> {
            ex.getResponseHeaders().add("Location", base + "/ok");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.createContext("/huge", ex -> send(ex, 200, new byte[OutboundHttp.MAX_BODY_BYTES + 10]));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static void send(com.sun.net.httpserver.HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static boolean allowed(OutboundHttp http, String ip) throws IOException {
        return http.allowed(InetAddress.getByName(ip));
    }

    @Test
    void privateLoopbackLinkLocalUnspecifiedAndMulticastAddressesAreBlockedByDefault() throws IOException {
        OutboundHttp http = new OutboundHttp((String) null);
        for (String ip : new String[] {
            "127.0.0.1",
            "127.8.9.10",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "224.0.0.1",
            "100.64.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fe80::1",
            "fc00::1",
            "fd12:3456::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1"
        }) {
            assertThat(allowed(http, ip)).as(ip).isFalse();
        }
        for (String ip :
                new String[] {"8.8.8.8", "172.32.0.1", "192.169.0.1", "100.128.0.1", "2001:4860::8888", "::ffff:8.8.8.8"
                }) {
            assertThat(allowed(http, ip)).as(ip).isTrue();
        }
    }

    @Test
    void specialPurposeRangesAndIpv4CarriedInIpv6AreBlocked() throws IOException {
        OutboundHttp http = new OutboundHttp((String) null);
        for (String ip : new String[] {
            "198.18.0.1",
            "198.19.255.254",
            "192.0.0.9",
            "240.0.0.1",
            "192.0.2.10",
            "64:ff9b::7f00:1",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b:1::a00:1",
            "::127.0.0.1",
            "::a9fe:a9fe",
            "2002:7f00:1::1",
            "2002:a9fe:a9fe::1",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2",
            "2001:db8::1",
            "5f00::1",
            "100::1"
        }) {
            assertThat(allowed(http, ip)).as(ip).isFalse();
        }
        for (String ip : new String[] {"64:ff9b::808:808", "2002:808:808::1"}) {
            assertThat(allowed(http, ip)).as(ip).isTrue();
        }
    }

    @Test
    void theAllowlistStillOpensSpecialPurposeRanges() throws IOException {
        OutboundHttp http = new OutboundHttp("198.18.0.0/15,64:ff9b::/96,2002:a00::/24");
        assertThat(allowed(http, "198.18.4.5")).isTrue();
        assertThat(allowed(http, "64:ff9b::7f00:1")).isTrue();
        assertThat(allowed(http, "2002:a00:1::1")).isTrue();
        assertThat(allowed(http, "198.20.0.1")).isTrue();
        assertThat(allowed(http, "64:ff9b:1::1")).isFalse();
        assertThat(allowed(http, "2002:c0a8:101::1")).isFalse();
        assertThat(allowed(http, "240.0.0.1")).isFalse();
    }

    @Test
    void aRefusalNamesTheBlockItHit() {
        OutboundHttp http = new OutboundHttp((String) null);
        assertThatThrownBy(() -> http.checkHost("[64:ff9b::a9fe:a9fe]"))
                .isInstanceOf(OutboundHttp.OutboundException.class)
                .hasMessageContaining("169.254.169.254")
                .hasMessageContaining("169.254.0.0/16")
                .hasMessageContaining("KEYHAVEN_OUTBOUND_ALLOWLIST");
    }

    @Test
    void theAllowlistOpensExactlyItsRanges() throws IOException {
        OutboundHttp http = new OutboundHttp("127.0.0.0/8, ::1/128,10.0.0.5");
        assertThat(allowed(http, "127.0.0.1")).isTrue();
        assertThat(allowed(http, "::1")).isTrue();
        assertThat(allowed(http, "10.0.0.5")).isTrue();
        assertThat(allowed(http, "10.0.0.6")).isFalse();
        assertThat(allowed(http, "169.254.169.254")).isFalse();
    }

    @Test
    void aBadAllowlistFailsAtStartup() {
        assertThatThrownBy(() -> new OutboundHttp("127.0.0.0/33"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KEYHAVEN_OUTBOUND_ALLOWLIST");
        assertThatThrownBy(() -> new OutboundHttp("localhost")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLoopbackUrlIsRefusedAfterResolutionUnlessAllowed() {
        OutboundHttp closed = new OutboundHttp((String) null);
        assertThatThrownBy(() -> closed.get(base + "/ok", null))
                .isInstanceOf(OutboundHttp.OutboundException.class)
                .hasMessageContaining("blocked address");
        // a name is resolved first: localhost is as blocked as 127.0.0.1
        assertThatThrownBy(() ->
                        closed.get("http://localhost:" + server.getAddress().getPort() + "/ok", null))
                .hasMessageContaining("blocked address");

        OutboundHttp open = new OutboundHttp("127.0.0.0/8");
        OutboundHttp.Response res = open.get(base + "/ok", null);
        assertThat(res.status()).isEqualTo(200);
        assertThat(res.body()).isEqualTo("{\"keys\":[]}");
    }

    @Test
    void otherSchemesAndUserInfoAreRefused() {
        OutboundHttp http = new OutboundHttp("127.0.0.0/8");
        assertThatThrownBy(() -> http.get("file:///etc/passwd", null)).hasMessageContaining("http and https");
        assertThatThrownBy(() -> http.get("gopher://127.0.0.1/", null)).hasMessageContaining("http and https");
        assertThatThrownBy(() -> http.get("http://user:pw@127.0.0.1/", null)).hasMessageContaining("host");
    }

    @Test
    void redirectsAreNotFollowed() {
        OutboundHttp http = new OutboundHttp("127.0.0.0/8");
        assertThatThrownBy(() -> http.get(base + "/redirect", null))
                .isInstanceOf(OutboundHttp.OutboundException.class)
                .hasMessageContaining("redirects are not followed");
    }

    @Test
    void aResponseAboveTheSizeLimitIsRefused() {
        OutboundHttp http = new OutboundHttp("127.0.0.0/8");
        assertThatThrownBy(() -> http.get(base + "/huge", null))
                .isInstanceOf(OutboundHttp.OutboundException.class)
                .hasMessageContaining("larger than");
    }

    @Test
    void anInvalidCaCertificateIsRefused() {
        assertThatThrownBy(() -> OutboundHttp.checkCaCert("not a cert"))
                .isInstanceOf(OutboundHttp.OutboundException.class);
    }

    @Test
    void aUrlOfTheWrongFormIsRefusedBeforeAnyLookup() {
        for (String url :
                new String[] {"not a url", "ftp://127.0.0.1/x", "http:///x", "https://user:pw@example.com/"}) {
            assertThatThrownBy(() -> OutboundHttp.parseUrl(url))
                    .as(url)
                    .isInstanceOf(OutboundHttp.OutboundException.class);
        }
        assertThat(OutboundHttp.parseUrl("https://siem.example.test:8443/ingest")
                        .getHost())
                .isEqualTo("siem.example.test");
    }

    @Test
    void aConnectionGoesOnlyToAnAllowedAddress() throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Duration timeout = Duration.ofSeconds(2);
            assertThatThrownBy(() ->
                            new OutboundHttp((String) null).connect("127.0.0.1", listener.getLocalPort(), timeout))
                    .isInstanceOf(OutboundHttp.OutboundException.class)
                    .hasMessageContaining("blocked address");
            try (Socket s = new OutboundHttp("127.0.0.0/8").connect("127.0.0.1", listener.getLocalPort(), timeout)) {
                assertThat(s.isConnected()).isTrue();
                assertThat(s.getInetAddress().getHostAddress()).isEqualTo("127.0.0.1");
            }
        }
    }
}
