package dev.keyhaven.server.people;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Instance settings for people's accounts, from {@code KEYHAVEN_USERS_*}: whether anyone may sign
 * up ({@code SIGNUP_ALLOWED}, default false: people join by invitation), how long an access token
 * lives ({@code ACCESS_TOKEN_TTL}, default 15m), and the password lockout
 * ({@code LOCKOUT_THRESHOLD} failures, default 5, lock for {@code LOCKOUT_DURATION}, default 15m), and
 * password and MFA attempts per minute per address ({@code LOGIN_PER_IP_PER_MINUTE}, default 30;
 * password spraying across accounts) and per account ({@code LOGIN_PER_ACCOUNT_PER_MINUTE}, default 10).
 */
@ConfigurationProperties("keyhaven.users")
public record UsersProperties(
        Boolean signupAllowed,
        Duration accessTokenTtl,
        Integer lockoutThreshold,
        Duration lockoutDuration,
        Integer loginPerIpPerMinute,
        Integer loginPerAccountPerMinute) {

    public UsersProperties {
        signupAllowed = Boolean.TRUE.equals(signupAllowed);
        accessTokenTtl = accessTokenTtl == null ? Duration.ofMinutes(15) : accessTokenTtl;
        lockoutThreshold = lockoutThreshold == null ? 5 : lockoutThreshold;
        lockoutDuration = lockoutDuration == null ? Duration.ofMinutes(15) : lockoutDuration;
        loginPerIpPerMinute = loginPerIpPerMinute == null ? 30 : loginPerIpPerMinute;
        loginPerAccountPerMinute = loginPerAccountPerMinute == null ? 10 : loginPerAccountPerMinute;
    }
}
