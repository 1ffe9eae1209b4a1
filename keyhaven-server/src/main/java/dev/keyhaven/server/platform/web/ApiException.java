package dev.keyhaven.server.platform.web;

import java.util.List;

/**
 * An error with the Infisical error body: {@code {reqId, statusCode, message, error}} plus
 * optional {@code details}. Services throw these; the error handler renders them.
 */
public class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String error;
    private final transient Object details;
    private long retryAfterSeconds;

    public ApiException(int status, String error, String message, Object details) {
        super(message);
        this.status = status;
        this.error = error;
        this.details = details;
    }

    public ApiException(int status, String error, String message) {
        this(status, error, message, null);
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public Object details() {
        return details;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "BadRequest", message);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, "UnauthorizedError", message);
    }

    public static ApiException tokenError(String message) {
        return new ApiException(403, "TokenError", message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, "Forbidden", message);
    }

    public static ApiException permissionDenied(String action, String subject, List<?> details) {
        return new ApiException(
                403, "PermissionDenied", "You are not allowed to " + action + " on " + subject, details);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "NotFound", message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, "Conflict", message);
    }

    public static ApiException tooLarge(String message) {
        return new ApiException(413, "PayloadTooLarge", message);
    }

    /** A 429 that tells the client when to try again ({@code Retry-After}). */
    public static ApiException rateLimited(String message, long retryAfterSeconds) {
        ApiException e = new ApiException(429, "RateLimitExceeded", message);
        e.retryAfterSeconds = retryAfterSeconds;
        return e;
    }

    /** Seconds to wait before retrying, or 0 when the answer says nothing about it. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
