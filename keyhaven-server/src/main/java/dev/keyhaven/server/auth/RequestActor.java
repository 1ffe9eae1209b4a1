package dev.keyhaven.server.auth;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The {@link Actor} that {@link AuthInterceptor} put on a request, for interceptors that run after
 * it (rate limits); null on public endpoints and before authentication.
 */
public final class RequestActor {
    private RequestActor() {}

    public static Actor of(HttpServletRequest request) {
        return request.getAttribute(AuthInterceptor.ACTOR) instanceof Actor actor ? actor : null;
    }
}
