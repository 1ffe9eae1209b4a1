package dev.keyhaven.client;

/**
 * A person's session as the server hands it out: a short-lived access token ({@code kh_us_…},
 * {@code expiresIn} seconds) and a single-use refresh token ({@code kh_rt_…}) that buys the next
 * pair. {@code organizationId} is the session's organization (null without one);
 * {@code mfaEnrollmentRequired} says the organization requires a second factor the person has not
 * enrolled yet, so the server refuses everything but their own account routes.
 */
public record UserTokens(
        String accessToken,
        String refreshToken,
        long expiresIn,
        String organizationId,
        boolean mfaEnrollmentRequired) {}
