package dev.keyhaven.server.platform.listen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collections;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

/**
 * The API served over TLS from PEM files: a real TLS client sees the configured certificate and
 * HSTS, a renewed certificate is served to new connections without a restart, health and metrics
 * answer on the management port only, and {@code KEYHAVEN_BIND} decides the interface.
 */
class TlsListenTest {
    @TempDir
    Path temp;

    @Test
    void servesThePemCertificateWithHstsAndARenewedOneWithoutRestart() throws Exception {
        Path cert = temp.resolve("tls.crt");
        Path key = temp.resolve("tls.key");
        SelfSigned first = SelfSigned.create("keyhaven-first");
        SelfSigned second = SelfSigned.create("keyhaven-second");
        first.writeTo(cert, key);
        SSLContext trustingBoth = trusting(first.certificate(), second.certificate());

        try (TestServer server = TestServers.fresh(
                Db.SQLITE,
                "--keyhaven.tls-cert-file=" + cert,
                "--keyhaven.tls-key-file=" + key,
                "--keyhaven.bind=127.0.0.1",
                "--spring.ssl.bundle.watch.file.quiet-period=200ms")) {
            int port = ((WebServerApplicationContext) server.context)
                    .getWebServer()
                    .getPort();
            HttpClient client = HttpClient.newBuilder().sslContext(trustingBoth).build();
            HttpResponse<String> status = client.send(
                    HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/api/status"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(status.statusCode()).isEqualTo(200);
            assertThat(status.headers().firstValue("strict-transport-security")).contains("max-age=31536000");
            assertThat(peer(status.sslSession())).isEqualTo(first.certificate());

            // plain HTTP on the TLS port is refused (Tomcat answers 400, "requires TLS")
            HttpResponse<String> plain = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/status"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(plain.statusCode()).isEqualTo(400);

            second.writeTo(cert, key);
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> handshake(trustingBoth, port), c -> c.equals(second.certificate()));

            // health and metrics: plain HTTP on loopback, on their own port, not on the API's
            assertThat(server.managementUrl).isNotEqualTo(server.baseUrl);
            assertThat(server.management().get("/actuator/health").status()).isEqualTo(200);
            HttpResponse<String> onApi = client.send(
                    HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/actuator/health"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(onApi.statusCode()).isEqualTo(404);
        }
    }

    @Test
    void bindingToLoopbackRefusesOtherInterfaces() throws Exception {
        Optional<InetAddress> other = nonLoopbackAddress();
        try (TestServer server = TestServers.fresh(Db.SQLITE, "--keyhaven.bind=127.0.0.1")) {
            int port = ((WebServerApplicationContext) server.context)
                    .getWebServer()
                    .getPort();
            assertThat(server.anonymous().get("/api/status").status()).isEqualTo(200);
            assertThat(server.anonymous().get("/api/status").header("strict-transport-security"))
                    .as("no HSTS over plain HTTP")
                    .isNull();
            if (other.isPresent()) {
                assertThatThrownBy(() -> {
                            try (Socket s = new Socket()) {
                                s.connect(new InetSocketAddress(other.get(), port), 5000);
                            }
                        })
                        .isInstanceOf(ConnectException.class);
            }
        }
    }

    @Test
    void defaultBindIsLoopbackOnlyForPlainHttpOutsideAContainer() {
        ListenProperties plain = new ListenProperties(null, null, null, null, null);
        ListenProperties tls = new ListenProperties(null, Path.of("c.pem"), Path.of("k.pem"), null, null);
        ListenProperties.Surroundings host = new ListenProperties.Surroundings(false, false);
        ListenProperties.Surroundings container = new ListenProperties.Surroundings(true, false);
        ListenProperties.Surroundings kubernetes = new ListenProperties.Surroundings(true, true);
        assertThat(plain.effectiveBind(host)).isEqualTo("127.0.0.1");
        assertThat(plain.effectiveBind(container)).isEqualTo("0.0.0.0");
        assertThat(tls.effectiveBind(host)).isEqualTo("0.0.0.0");
        assertThat(new ListenProperties("::1", null, null, null, null).effectiveBind(container))
                .isEqualTo("::1");
        assertThat(plain.effectiveManagementBind(host)).isEqualTo("127.0.0.1");
        assertThat(plain.effectiveManagementBind(container)).isEqualTo("127.0.0.1");
        assertThat(plain.effectiveManagementBind(kubernetes)).isEqualTo("0.0.0.0");
        assertThat(plain.effectiveManagementPort()).isEqualTo(8081);
        assertThatThrownBy(() -> new ListenProperties(null, Path.of("c.pem"), null, null, null))
                .hasMessageContaining("KEYHAVEN_TLS_KEY_FILE");
    }

    private static X509Certificate handshake(SSLContext ctx, int port) throws Exception {
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("localhost", port)) {
            s.setSoTimeout(5000);
            s.startHandshake();
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
    }

    private static X509Certificate peer(Optional<javax.net.ssl.SSLSession> session) throws Exception {
        return (X509Certificate) session.orElseThrow().getPeerCertificates()[0];
    }

    private static SSLContext trusting(X509Certificate... certs) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        for (int i = 0; i < certs.length; i++) {
            ks.setCertificateEntry("c" + i, certs[i]);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws Exception {
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!ni.isUp() || ni.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                if (a instanceof Inet4Address) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }
}
