package dev.keyhaven.server.auth;

import dev.keyhaven.server.access.OwnAccount;
import dev.keyhaven.server.access.PeopleOnly;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.actor.ClientInfo;
import dev.keyhaven.server.identity.AccessTokenService;
import dev.keyhaven.server.people.CookieSessions;
import dev.keyhaven.server.people.SessionCookies;
import dev.keyhaven.server.people.SessionService;
import dev.keyhaven.server.platform.web.AccessLog;
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
 * Authenticates every API request except the {@link PublicEndpoint}s: a bearer token (a person's
 * session token or a machine identity's access token) or a browser's session cookie is required,
 * resolved to an {@link Actor}, and kept on the request for the handler.
 */
@Component
@Order(10)
public class AuthInterceptor implements ApiInterceptor {
    static final String ACTOR = AccessLog.ACTOR_ATTRIBUTE;
    private final ObjectProvider<AccessTokenService> tokens;
    private final ObjectProvider<SessionService> sessions;
    private final ObjectProvider<CookieSessions> cookieSessions;

    /** Resolved lazily, so the web server starts before the database and keyring are touched. */
    public AuthInterceptor(
            ObjectProvider<AccessTokenService> tokens,
            ObjectProvider<SessionService> sessions,
            ObjectProvider<CookieSessions> cookieSessions) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.cookieSessions = cookieSessions;
    }

    /** The OpenAPI document and its browser are public, like the rest of the documentation. */
    private static boolean isApiDocs(HandlerMethod method) {
        return method.getBeanType().getPackageName().startsWith("org.springdoc.");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method)
                || method.hasMethodAnnotation(PublicEndpoint.class)
                || isApiDocs(method)) {
            return true;
        }
        boolean ownAccount = method.hasMethodAnnotation(OwnAccount.class);
        String header = request.getHeader("Authorization");
        Actor actor;
        if (header != null && header.length() > 7 && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = header.substring(7).trim();
            String ip = ClientInfo.ip(request);
            actor = token.startsWith(SessionService.ACCESS_PREFIX)
                    ? sessions.getObject().authenticate(token, ip, ClientInfo.userAgent(request), ownAccount)
                    : tokens.getObject().authenticate(token, ip, ClientInfo.userAgent(request));
        } else {
            String cookie = SessionCookies.read(request, SessionCookies.ACCESS);
            if (cookie == null) {
                throw ApiException.unauthorized("Token missing");
            }
            actor = cookieSessions.getObject().authenticate(request, cookie, ownAccount);
        }
        if (ownAccount
                && !actor.isUser()
                && !method.getMethodAnnotation(OwnAccount.class).identities()) {
            throw ApiException.forbidden("This route is for a person's own account; machine identities cannot use it");
        }
        if (method.hasMethodAnnotation(PeopleOnly.class) && !actor.isUser()) {
            throw ApiException.forbidden("Only a person's session may use this route; machine identities cannot");
        }
        request.setAttribute(ACTOR, actor);
        return true;
    }
}
