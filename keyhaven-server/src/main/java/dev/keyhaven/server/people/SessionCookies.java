package dev.keyhaven.server.people;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;

/**
 * Browser sessions: the access and refresh tokens ride in HttpOnly, Secure, SameSite=Strict
 * cookies that scripts cannot read, and a third, readable cookie carries the CSRF token that the
 * page echoes in {@code X-CSRF-Token} on every state-changing request.
 */
public final class SessionCookies {
    public static final String ACCESS = "kh_session";
    public static final String REFRESH = "kh_refresh";
    public static final String CSRF = "kh_csrf";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    static final String REFRESH_PATH = "/api/v1/auth/session";

    private SessionCookies() {}

    static void write(HttpServletResponse response, IssuedSession s, long nowMillis) {
        Duration sessionLeft = Duration.ofMillis(Math.max(0, s.refreshExpiresAt() - nowMillis));
        add(response, cookie(ACCESS, s.accessToken(), "/api", true, Duration.ofSeconds(s.expiresInSeconds())));
        add(response, cookie(REFRESH, s.refreshToken(), REFRESH_PATH, true, sessionLeft));
        add(response, cookie(CSRF, s.csrfToken(), "/", false, sessionLeft));
    }

    static void clear(HttpServletResponse response) {
        add(response, cookie(ACCESS, "", "/api", true, Duration.ZERO));
        add(response, cookie(REFRESH, "", REFRESH_PATH, true, Duration.ZERO));
        add(response, cookie(CSRF, "", "/", false, Duration.ZERO));
    }

    public static String read(HttpServletRequest request, String name) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie c : cookies) {
            if (name.equals(c.getName()) && !c.getValue().isEmpty()) {
                return c.getValue();
            }
        }
        return null;
    }

    private static ResponseCookie cookie(String name, String value, String path, boolean httpOnly, Duration maxAge) {
        return ResponseCookie.from(name, value)
                .path(path)
                .httpOnly(httpOnly)
                .secure(true)
                .sameSite("Strict")
                .maxAge(maxAge)
                .build();
    }

    private static void add(HttpServletResponse response, ResponseCookie c) {
        response.addHeader(HttpHeaders.SET_COOKIE, c.toString());
    }
}
