package dev.keyhaven.server.platform.web;

import dev.keyhaven.server.crypto.SecretDigests;
import jakarta.servlet.http.HttpServletRequest;

/** The per-request id that appears in error bodies, logs and the {@code x-request-id} header. */
public final class RequestIds {
    static final String ATTRIBUTE = "keyhaven.reqId";

    private RequestIds() {}

    static String newId() {
        return "req-" + SecretDigests.randomHex(8);
    }

    public static String current(HttpServletRequest request) {
        Object id = request.getAttribute(ATTRIBUTE);
        return id == null ? newId() : id.toString();
    }
}
