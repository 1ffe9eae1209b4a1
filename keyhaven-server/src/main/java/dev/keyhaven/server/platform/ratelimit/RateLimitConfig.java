package dev.keyhaven.server.platform.ratelimit;

import dev.keyhaven.server.platform.config.NetworkProperties;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Picks the rate limiter: in Redis when {@code KEYHAVEN_REDIS_URL} is set, else in this node's memory. */
@Configuration(proxyBeanMethods = false)
public class RateLimitConfig {
    @Bean
    public RateLimiter rateLimiter(NetworkProperties props, Clock clock) {
        FixedWindowRateLimiter local = new FixedWindowRateLimiter(clock);
        if (props.redisUrl() == null) {
            return local;
        }
        return new RedisRateLimiter(props.redisUrl(), props.redisKeyPrefix(), local, clock);
    }
}
