package dev.keyhaven.server.auditstream;

import com.sun.net.httpserver.HttpServer;
import dev.keyhaven.server.support.Api;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;

/** A loopback HTTP endpoint standing in for a SIEM: records every request it accepts, in order. */
final class HttpReceiver implements AutoCloseable {
    record Received(String authorization, String custom, String contentType, JsonNode body) {}

    final List<Received> received = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private volatile CountDownLatch gate = new CountDownLatch(0);

    private HttpReceiver(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", exchange -> {
            try {
                if (!gate.await(20, TimeUnit.SECONDS)) {
                    exchange.sendResponseHeaders(503, -1);
                    exchange.close();
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("X-Custom"),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    Api.JSON.readTree(new String(body, StandardCharsets.UTF_8))));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    static HttpReceiver on(int port) throws IOException {
        return new HttpReceiver(port);
    }

    static HttpReceiver start() throws IOException {
        return new HttpReceiver(0);
    }

    /** Holds every request unanswered until {@link #release()} (20 s at most), like a stalled SIEM. */
    HttpReceiver held() {
        this.gate = new CountDownLatch(1);
        return this;
    }

    void release() {
        gate.countDown();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url() {
        return "http://127.0.0.1:" + port() + "/ingest";
    }

    /** The received events matching {@code which}, once there are {@code n} of them (20 s at most). */
    List<Received> await(Predicate<Received> which, int n) {
        return Awaitility.await(n + " events received")
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(25))
                .until(() -> received.stream().filter(which).toList(), matching -> matching.size() >= n);
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }
}
