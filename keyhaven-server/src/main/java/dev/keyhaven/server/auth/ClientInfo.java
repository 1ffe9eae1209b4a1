package dev.keyhaven.server.auth;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Where a request came from. For now the socket address; trusted-proxy handling of
 * {@code X-Forwarded-For} belongs here when it arrives.
 */
public final class ClientInfo {
    private ClientInfo() {}

    public static String ip(HttpServletRequest request) {
        return request.getRemoteAddr();
    }

    public static String userAgent(HttpServletRequest request) {
        String ua = request.getHeader("User-Agent");
        return ua == null ? "" : (ua.length() > 512 ? ua.substring(0, 512) : ua);
    }
}
