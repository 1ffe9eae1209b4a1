package dev.keyhaven.server.people;

import dev.keyhaven.server.platform.log.Redaction;

/** The credentials of a new or refreshed session; the CSRF token matters only to browsers (cookies). */
record IssuedSession(
        String sessionId,
        String userId,
        String orgId,
        String accessToken,
        String refreshToken,
        String csrfToken,
        long expiresInSeconds,
        long refreshExpiresAt,
        boolean mfaEnrollmentRequired) {
    @Override
    public String toString() {
        return Redaction.toString(this);
    }
}
