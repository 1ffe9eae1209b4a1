package dev.keyhaven.server.actor;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Where a request came from: the address {@link ClientAddressFilter} settled on (the socket
 * address, or the client named by trusted proxies in {@code X-Forwarded-For}), and the user agent.
 */
public final class ClientInfo {
    public static final String ATTRIBUTE = "keyhaven.clientIp";

    private ClientInfo() {}

    public static String ip(HttpServletRequest request) {
        Object resolved = request.getAttribute(ATTRIBUTE);
        return resolved instanceof String s ? s : request.getRemoteAddr();
    }

    public static String userAgent(HttpServletRequest request) {
        String ua = request.getHeader("User-Agent");
        return ua == null ? "" : (ua.length() > 512 ? ua.substring(0, 512) : ua);
    }
}
