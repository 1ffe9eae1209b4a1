package dev.keyhaven.server.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser stand-in for sign-in flows: one cookie jar, redirects followed on request. Cookies are
 * kept per host (as browsers do, whatever the port) and sent when their path matches; the Secure
 * flag is ignored, because loopback http counts as a secure context in browsers while
 * {@code java.net.CookieManager} would drop them. Not thread-safe; one per simulated browser.
 */
public final class Browser {
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private static final Pattern LOGIN_FORM =
            Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"", Pattern.DOTALL);

    private record Cookie(String value, String path) {}

    /** One response; {@code url} is where it came from. */
    public record Page(int status, String url, String body, java.net.http.HttpHeaders headers) {
        public String location() {
            return headers.firstValue("Location")
                    .map(l -> URI.create(url).resolve(l).toString())
                    .orElse(null);
        }

        /** The action of Keycloak's login form, unescaped. */
        public String keycloakLoginAction() {
            Matcher m = LOGIN_FORM.matcher(body);
            if (!m.find()) {
                throw new IllegalStateException("no Keycloak login form on " + url + " (" + status + "): " + body);
            }
            return m.group(1).replace("&amp;", "&");
        }
    }

    private final Map<String, Map<String, Cookie>> jar = new LinkedHashMap<>();

    public Page get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), url);
    }

    public Page postForm(String url, Map<String, String> fields) {
        return send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(Api.form(fields))),
                url);
    }

    /** Follows redirects from {@code page} (at most ten) and returns the first page that is not one. */
    public Page follow(Page page) {
        Page p = page;
        for (int i = 0; i < 10 && p.status() >= 300 && p.status() < 400; i++) {
            p = get(p.location());
        }
        return p;
    }

    /** The cookie's value for this host, or null. */
    public String cookie(String host, String name) {
        Cookie c = jar.getOrDefault(host, Map.of()).get(name);
        return c == null ? null : c.value();
    }

    private Page send(HttpRequest.Builder b, String url) {
        URI uri = URI.create(url);
        String cookies = jar.getOrDefault(uri.getHost(), Map.of()).entrySet().stream()
                .filter(e -> uri.getPath().startsWith(e.getValue().path()))
                .map(e -> e.getKey() + "=" + e.getValue().value())
                .collect(Collectors.joining("; "));
        if (!cookies.isEmpty()) {
            b.header("Cookie", cookies);
        }
        try {
            HttpResponse<String> res =
                    HTTP.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            remember(uri.getHost(), res.headers().allValues("Set-Cookie"));
            return new Page(res.statusCode(), url, res.body(), res.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void remember(String host, List<String> setCookies) {
        Map<String, Cookie> cookies = jar.computeIfAbsent(host, h -> new LinkedHashMap<>());
        for (String sc : setCookies) {
            String[] parts = sc.split(";");
            int eq = parts[0].indexOf('=');
            String name = parts[0].substring(0, eq).strip();
            String value = parts[0].substring(eq + 1).strip();
            String path = "/";
            boolean expired = value.isEmpty();
            for (int i = 1; i < parts.length; i++) {
                String a = parts[i].strip();
                String lower = a.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("path=")) {
                    path = a.substring(5);
                } else if (lower.equals("max-age=0") || lower.startsWith("expires=thu, 01 jan 1970")) {
                    expired = true;
                }
            }
            if (expired) {
                cookies.remove(name);
            } else {
                cookies.put(name, new Cookie(value, path));
            }
        }
    }
}
