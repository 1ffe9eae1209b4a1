package dev.keyhaven.server.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import java.security.SecureRandom;
import java.util.HexFormat;

/** The per-request id that appears in error bodies, logs and the {@code x-request-id} header. */
public final class RequestIds {
    static final String ATTRIBUTE = "keyhaven.reqId";

    private static final SecureRandom RANDOM = new SecureRandom();

    private RequestIds() {}

    static String newId() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return "req-" + HexFormat.of().formatHex(b);
    }

    public static String current(HttpServletRequest request) {
        Object id = request.getAttribute(ATTRIBUTE);
        return id == null ? newId() : id.toString();
    }
}
