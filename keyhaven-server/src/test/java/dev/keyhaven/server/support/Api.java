package dev.keyhaven.server.support;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client for tests: real requests to a running server, JSON in and out. */
public final class Api {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    public static final JsonMapper JSON = JsonMapper.builder().build();

    private final String baseUrl;
    private final String token;

    public Api(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    public Api as(String otherToken) {
        return new Api(baseUrl, otherToken);
    }

    public String baseUrl() {
        return baseUrl;
    }

    public Res get(String path, Object... query) {
        return send("GET", path + query(query), null, Map.of());
    }

    public Res getWithHeaders(String path, Map<String, String> headers) {
        return send("GET", path, null, headers);
    }

    public Res post(String path, Object body) {
        return send("POST", path, body, Map.of());
    }

    public Res patch(String path, Object body) {
        return send("PATCH", path, body, Map.of());
    }

    public Res delete(String path, Object body) {
        return send("DELETE", path, body, Map.of());
    }

    /** POSTs the fields as an {@code application/x-www-form-urlencoded} body, in their order. */
    public Res postForm(String path, Map<String, ?> fields) {
        return raw("POST", path, form(fields), "application/x-www-form-urlencoded");
    }

    /** The fields as a form body ({@code k1=v1&k2=v2}, percent-encoded). */
    public static String form(Map<String, ?> fields) {
        return fields.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(String.valueOf(e.getValue())))
                .collect(Collectors.joining("&"));
    }

    public Res raw(String method, String path, String body, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return execute(b.build());
    }

    public Res send(String method, String path, Object body, Map<String, String> headers) {
        String json = body == null ? null : (body instanceof String s ? s : JSON.writeValueAsString(body));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null && headers.keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        headers.forEach(b::header);
        return execute(b.build());
    }

    private static Res execute(HttpRequest request) {
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode node = null;
            String contentType = r.headers().firstValue("Content-Type").orElse("");
            if (r.body() != null && !r.body().isEmpty() && contentType.contains("json")) {
                node = JSON.readTree(r.body());
            }
            return new Res(r.statusCode(), node, r.body(), r.headers());
        } catch (IOException e) {
            throw new IllegalStateException("request failed: " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code "k1", v1, "k2", v2} as a query string; null values are left out. */
    public static String query(Object... kv) {
        if (kv.length == 0) {
            return "";
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            if (kv[i + 1] != null) {
                m.put(kv[i].toString(), kv[i + 1].toString());
            }
        }
        return "?"
                + m.entrySet().stream()
                        .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                        .collect(Collectors.joining("&"));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
