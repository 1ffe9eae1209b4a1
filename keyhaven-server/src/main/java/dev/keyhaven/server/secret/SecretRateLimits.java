package dev.keyhaven.server.secret;

import dev.keyhaven.server.access.ProjectAction;
import dev.keyhaven.server.access.ProjectPermission;
import dev.keyhaven.server.access.ProjectSubject;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.actor.ClientInfo;
import dev.keyhaven.server.actor.RequestActor;
import dev.keyhaven.server.platform.config.NetworkProperties;
import dev.keyhaven.server.platform.ratelimit.RateLimiter;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.platform.web.ApiInterceptor;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;

/**
 * Limits secret reads and secret writes per actor and, separately, per client address, before the
 * handler runs: 429 with {@code Retry-After} beyond {@code KEYHAVEN_RATE_READS_PER_MINUTE} /
 * {@code KEYHAVEN_RATE_WRITES_PER_MINUTE}. An endpoint is a secret read or write by the permission
 * it declares on the {@code secrets} subject, so a new secret route is limited without a list to
 * keep up to date. Runs after authentication, which puts the actor on the request.
 */
@Component
@Order(20)
class SecretRateLimits implements ApiInterceptor {
    private static final Set<ProjectAction> READ_ACTIONS =
            Set.of(ProjectAction.READ, ProjectAction.DESCRIBE_SECRET, ProjectAction.READ_VALUE);
    private final ObjectProvider<RateLimiter> limiterSource;
    private final ObjectProvider<NetworkProperties> propsSource;
    private volatile Limits limits;

    private record Limits(RateLimiter limiter, int readsPerMinute, int writesPerMinute) {}

    /**
     * Resolved on the first request, like {@code AuthInterceptor}'s dependencies: interceptors are
     * built while the web server starts, and a bad rate-limit or Redis setting must fail start-up
     * with its one-line message, which the {@link RateLimiter} bean does.
     */
    SecretRateLimits(ObjectProvider<RateLimiter> limiter, ObjectProvider<NetworkProperties> props) {
        this.limiterSource = limiter;
        this.propsSource = props;
    }

    private Limits limits() {
        Limits l = limits;
        if (l == null) {
            NetworkProperties props = propsSource.getObject();
            l = new Limits(limiterSource.getObject(), props.readsPerMinute(), props.writesPerMinute());
            limits = l;
        }
        return l;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method)) {
            return true;
        }
        ProjectPermission permission = method.getMethodAnnotation(ProjectPermission.class);
        if (permission == null || permission.subject() != ProjectSubject.SECRETS) {
            return true;
        }
        Actor actor = RequestActor.of(request);
        if (actor == null) {
            return true;
        }
        boolean read = onlyReads(permission.actions());
        Limits l = limits();
        int limit = read ? l.readsPerMinute() : l.writesPerMinute();
        if (limit <= 0) {
            return true;
        }
        String kind = read ? "secret-read" : "secret-write";
        long wait = l.limiter().hit(kind + ":actor:" + actor.type().wire() + ":" + actor.id(), limit);
        if (wait == 0) {
            wait = l.limiter().hit(kind + ":ip:" + ClientInfo.ip(request), limit);
        }
        if (wait > 0) {
            throw ApiException.rateLimited(
                    "Too many secret " + (read ? "reads" : "writes") + "; try again in " + wait + " s", wait);
        }
        return true;
    }

    private static boolean onlyReads(ProjectAction[] actions) {
        for (ProjectAction action : actions) {
            if (!READ_ACTIONS.contains(action)) {
                return false;
            }
        }
        return true;
    }
}
