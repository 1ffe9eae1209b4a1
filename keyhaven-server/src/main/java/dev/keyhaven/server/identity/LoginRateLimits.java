package dev.keyhaven.server.identity;

import dev.keyhaven.server.platform.config.KeyhavenProperties;
import dev.keyhaven.server.platform.ratelimit.RateLimiter;
import dev.keyhaven.server.platform.web.ApiException;
import org.springframework.stereotype.Component;

/**
 * Limits logins per source address and per identity (or client id), for every machine auth
 * method, before any credential is looked at: 429 with {@code Retry-After} beyond
 * {@code KEYHAVEN_LOGIN_RATE_PER_IP} / {@code KEYHAVEN_LOGIN_RATE_PER_IDENTITY} per minute, counted
 * per node or, with {@code KEYHAVEN_REDIS_URL}, across all nodes.
 */
@Component
class LoginRateLimits {
    private final RateLimiter limiter;
    private final int perIp;
    private final int perIdentity;

    LoginRateLimits(RateLimiter limiter, KeyhavenProperties props) {
        this.limiter = limiter;
        this.perIp = props.loginRatePerIpOrDefault();
        this.perIdentity = props.loginRatePerIdentityOrDefault();
    }

    void check(String method, String identityKey, String ip) {
        long wait = limiter.hit("login-ip:" + ip, perIp);
        if (wait == 0 && identityKey != null) {
            wait = limiter.hit("login-id:" + method + ":" + identityKey, perIdentity);
        }
        if (wait > 0) {
            throw ApiException.rateLimited("Too many login attempts; try again in " + wait + " s", wait);
        }
    }
}
