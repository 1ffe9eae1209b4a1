package dev.keyhaven.server.actor;

import dev.keyhaven.server.platform.web.AccessLog;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The {@link Actor} that the auth interceptor put on a request, for interceptors that run after
 * it (rate limits); null on public endpoints and before authentication.
 */
public final class RequestActor {
    private RequestActor() {}

    public static Actor of(HttpServletRequest request) {
        return request.getAttribute(AccessLog.ACTOR_ATTRIBUTE) instanceof Actor actor ? actor : null;
    }
}
