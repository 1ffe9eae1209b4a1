package dev.keyhaven.server.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.TestServers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * URLs that the web server refuses before any route sees them (encoded NUL, slash or backslash in
 * a segment, bad percent-escapes, URLs over the header limit) still get the JSON error body, not
 * an HTML page. Sent over a raw socket, since HTTP clients refuse to send most of them.
 */
class MalformedUrlTest {
    private static final String LONG = "/api/v3/secrets/raw/" + "A".repeat(9_000);

    /** A response read off the socket: status line, headers (lower-case names) and the decoded body. */
    record RawResponse(int status, Map<String, String> headers, String body) {}

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/api/v3/secrets/raw/A%00B",
                "/api/v3/secrets/raw/A%2FB",
                "/api/v3/secrets/raw/A%5CB",
                "/api/v3/secrets/raw/A%2fB",
                "/api/v3/secrets/raw/A%zzB",
                "/api/v3/secrets/raw/A\\B",
                "LONG"
            })
    void aMalformedUrlGetsTheJsonErrorBody(String path) throws IOException {
        RawResponse res = send("GET", path.equals("LONG") ? LONG : path);

        assertThat(res.status()).as(res.toString()).isBetween(400, 499);
        assertThat(res.headers().get("content-type")).as(res.toString()).startsWith("application/json");
        JsonNode body = Api.JSON.readTree(res.body());
        assertThat(body.path("statusCode").asInt()).isEqualTo(res.status());
        assertThat(body.path("reqId").asString()).startsWith("req-");
        assertThat(body.path("error").asString()).isNotBlank();
        assertThat(body.path("message").asString()).isNotBlank();
        assertThat(res.body()).doesNotContain("<html").doesNotContain("Tomcat").doesNotContain("AAAAAAAAAA");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TRACE /api/status", "GET /error", "POST /error", "GET /api/v3/secrets/raw/%E0%A4%A"})
    void errorsTheContainerAnswersHaveTheStandardShapeToo(String request) throws IOException {
        String[] parts = request.split(" ");
        RawResponse res = send(parts[0], parts[1]);

        assertThat(res.status()).as(res.toString()).isBetween(400, 499);
        assertThat(res.headers().get("content-type")).as(res.toString()).startsWith("application/json");
        JsonNode body = Api.JSON.readTree(res.body());
        assertThat(body.path("statusCode").asInt()).as(res.toString()).isEqualTo(res.status());
        assertThat(body.path("reqId").asString()).startsWith("req-");
        assertThat(body.has("timestamp")).as(res.toString()).isFalse();
    }

    private static RawResponse send(String method, String path) throws IOException {
        URI base = URI.create(TestServers.shared(Db.SQLITE).baseUrl);
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return parse(socket.getInputStream().readAllBytes());
        }
    }

    private static RawResponse parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        assertThat(end).as(text).isPositive();
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(
                    lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
        }
        String body = text.substring(end + 4);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new RawResponse(
                status, headers, new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }

    private static String dechunk(String body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 0;
        while (true) {
            int lineEnd = body.indexOf("\r\n", pos);
            int size =
                    Integer.parseInt(body.substring(pos, lineEnd).split(";")[0].trim(), 16);
            if (size == 0) {
                return out.toString(StandardCharsets.ISO_8859_1);
            }
            out.writeBytes(body.substring(lineEnd + 2, lineEnd + 2 + size).getBytes(StandardCharsets.ISO_8859_1));
            pos = lineEnd + 2 + size + 2;
        }
    }
}
