package dev.keyhaven.server.identity;

import dev.keyhaven.server.platform.outbound.OutboundHttp;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Asks a Kubernetes API server who a service-account token belongs to, by creating a
 * {@code TokenReview} (the way Infisical's "api" mode and Vault's Kubernetes auth do it): the API
 * server checks signature, expiry, audience and that the pod and service account still exist. The
 * call goes through {@link OutboundHttp}, so it has timeouts and a size limit and is refused for
 * blocked addresses, and it trusts exactly the configured CA. The response echoes the token, so
 * its body is never logged or audited.
 */
@Component
class KubernetesTokenReview {
    static final String PATH = "/apis/authentication.k8s.io/v1/tokenreviews";
    private static final int MAX_ERROR_CHARS = 300;

    private final OutboundHttp http;
    private final ObjectMapper json;

    KubernetesTokenReview(OutboundHttp http, ObjectMapper json) {
        this.http = http;
        this.json = json;
    }

    /**
     * The TokenReview URL for a configured host, given as {@code https://host[:port][/prefix]} or
     * without scheme (Infisical stores both); throws IllegalArgumentException when it is unusable.
     * Only HTTPS: the request carries a bearer token.
     */
    static String reviewUrl(String kubernetesHost) {
        String h = kubernetesHost.trim();
        if (!h.contains("://")) {
            h = "https://" + h;
        }
        URI u;
        try {
            u = URI.create(h);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid url");
        }
        if (!"https".equals(u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("The Kubernetes host must use https");
        }
        if (u.getHost() == null
                || u.getRawUserInfo() != null
                || u.getRawQuery() != null
                || u.getRawFragment() != null) {
            throw new IllegalArgumentException("Invalid url");
        }
        while (h.endsWith("/")) {
            h = h.substring(0, h.length() - 1);
        }
        return h + PATH;
    }

    /**
     * Reviews {@code jwt}, authenticating the request with {@code bearer} (the reviewer token, or the
     * caller's own token when none is configured). {@code audience} (may be empty) is sent as the
     * review's audience. Throws {@link KubernetesRejection} unless the API server authenticated the
     * token as a service account.
     */
    KubernetesServiceAccount review(String kubernetesHost, String caCert, String bearer, String jwt, String audience) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("token", jwt);
        if (!audience.isEmpty()) {
            spec.put("audiences", List.of(audience));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("apiVersion", "authentication.k8s.io/v1");
        body.put("kind", "TokenReview");
        body.put("spec", spec);
        OutboundHttp.Response res;
        try {
            res = http.postJson(
                    reviewUrl(kubernetesHost),
                    caCert.isBlank() ? null : caCert,
                    json.writeValueAsString(body),
                    Map.of("Authorization", "Bearer " + bearer));
        } catch (OutboundHttp.OutboundException e) {
            if (e.tlsFailure()) {
                throw new KubernetesRejection(
                        "TokenReview failed: the TLS handshake with the Kubernetes API server " + "failed ("
                                + e.getMessage() + "); check caCert",
                        "the Kubernetes API server's certificate is not trusted (check caCert)");
            }
            throw new KubernetesRejection(
                    "TokenReview failed: " + e.getMessage(), "the Kubernetes API server could not be reached");
        }
        if (res.status() == 401) {
            throw new KubernetesRejection("the Kubernetes API server refused the reviewer token (401)");
        }
        if (res.status() == 403) {
            throw new KubernetesRejection("the reviewer may not create TokenReviews (403; bind it to "
                    + "system:auth-delegator): " + clip(statusMessage(res.body()), jwt, bearer));
        }
        if (res.status() != 200 && res.status() != 201) {
            throw new KubernetesRejection("TokenReview failed: the Kubernetes API server answered " + res.status());
        }
        JsonNode answer;
        try {
            answer = json.readTree(res.body());
        } catch (JacksonException e) {
            throw new KubernetesRejection("TokenReview failed: the Kubernetes API server's answer is not JSON");
        }
        if (!"TokenReview".equals(answer.path("kind").asString(""))) {
            throw new KubernetesRejection("TokenReview failed: the answer is not a TokenReview");
        }
        JsonNode status = answer.path("status");
        String error = status.path("error").asString("");
        if (!error.isEmpty()) {
            throw new KubernetesRejection(
                    "the Kubernetes API server did not authenticate the token: " + clip(error, jwt, bearer));
        }
        JsonNode authenticated = status.path("authenticated");
        if (!authenticated.isBoolean() || !authenticated.asBoolean()) {
            throw new KubernetesRejection("the Kubernetes API server did not authenticate the token");
        }
        List<String> audiences = new ArrayList<>();
        for (JsonNode a : status.path("audiences")) {
            audiences.add(a.asString(""));
        }
        return KubernetesServiceAccount.fromUsername(
                status.path("user").path("username").asString(""), audiences);
    }

    /** The {@code message} of a Kubernetes {@code Status} answer, or "" when the body is not one. */
    private String statusMessage(String body) {
        try {
            return json.readTree(body).path("message").asString("");
        } catch (JacksonException e) {
            return "";
        }
    }

    /** An API server message, shortened and with any token taken out, fit for the audit log and the caller. */
    private static String clip(String message, String... tokens) {
        String m = message;
        for (String t : tokens) {
            if (!t.isEmpty()) {
                m = m.replace(t, "<token>");
            }
        }
        return m.length() > MAX_ERROR_CHARS ? m.substring(0, MAX_ERROR_CHARS) + "…" : m;
    }
}
