package dev.keyhaven.server.auth;

import dev.keyhaven.server.auth.machine.AccessTokenService;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.platform.web.ApiInterceptor;
import dev.keyhaven.server.platform.web.PublicEndpoint;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;

/**
 * Authenticates every API request except the {@link PublicEndpoint}s: a bearer token is
 * required, resolved to an {@link Actor}, and kept on the request for the handler.
 */
@Component
@Order(10)
public class AuthInterceptor implements ApiInterceptor {
    static final String ACTOR = "keyhaven.actor";
    private final ObjectProvider<AccessTokenService> tokens;

    /** Resolved lazily, so the web server starts before the database and keyring are touched. */
    public AuthInterceptor(ObjectProvider<AccessTokenService> tokens) {
        this.tokens = tokens;
    }

    /** The OpenAPI document and its browser are public, like the rest of the documentation. */
    private static boolean isApiDocs(HandlerMethod method) {
        return method.getBeanType().getPackageName().startsWith("org.springdoc.");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method) || method.hasMethodAnnotation(PublicEndpoint.class)
                || isApiDocs(method)) {
            return true;
        }
        String header = request.getHeader("Authorization");
        if (header == null || header.length() <= 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiException.unauthorized("Token missing");
        }
        String token = header.substring(7).trim();
        Actor actor = tokens.getObject().authenticate(token, ClientInfo.ip(request), ClientInfo.userAgent(request));
        request.setAttribute(ACTOR, actor);
        return true;
    }
}
