package dev.keyhaven.server.people;

import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.actor.ClientInfo;
import dev.keyhaven.server.platform.config.KeyhavenProperties;
import dev.keyhaven.server.platform.web.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Authenticates a request by its session cookie. A state-changing request must also carry the
 * session's CSRF token in {@code X-CSRF-Token}, and when the browser names an {@code Origin} it
 * must be Keyhaven's own: a cookie sent along by another site's page gets 403.
 */
@Component
public class CookieSessions {
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");
    private final SessionService sessions;
    private final String siteOrigin;

    CookieSessions(SessionService sessions, KeyhavenProperties props) {
        this.sessions = sessions;
        this.siteOrigin = origin(props.siteUrl());
    }

    public Actor authenticate(HttpServletRequest request, String accessToken, boolean ownAccount) {
        checkRequest(request, accessToken);
        return sessions.authenticate(accessToken, ClientInfo.ip(request), ClientInfo.userAgent(request), ownAccount);
    }

    /** The origin and CSRF checks for a request that a cookie authenticates. */
    void checkRequest(HttpServletRequest request, String cookieToken) {
        if (SAFE.contains(request.getMethod())) {
            return;
        }
        String origin = request.getHeader("Origin");
        if (origin != null && !origin.equals(siteOrigin) && !origin.equals(ownOrigin(request))) {
            throw new ApiException(
                    403, "CsrfError", "Cross-site request refused: origin " + clip(origin) + " is not this Keyhaven's");
        }
        sessions.checkCsrf(cookieToken, request.getHeader(SessionCookies.CSRF_HEADER));
    }

    private static String ownOrigin(HttpServletRequest request) {
        int port = request.getServerPort();
        boolean defaultPort = ("http".equals(request.getScheme()) && port == 80)
                || ("https".equals(request.getScheme()) && port == 443);
        return request.getScheme() + "://" + request.getServerName() + (defaultPort ? "" : ":" + port);
    }

    private static String origin(String siteUrl) {
        if (siteUrl == null || siteUrl.isBlank()) {
            return null;
        }
        try {
            URI u = URI.create(siteUrl.strip());
            return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String clip(String s) {
        String c = s.replaceAll("\\p{Cntrl}", "");
        return c.length() > 100 ? c.substring(0, 100) : c;
    }
}
