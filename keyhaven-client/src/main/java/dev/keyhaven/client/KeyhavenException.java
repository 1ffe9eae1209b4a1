package dev.keyhaven.client;

/**
 * Base of every error the client reports. {@link #status()} is the HTTP status (0 when no
 * response came back), {@link #error()} the server's error name ({@code TokenError},
 * {@code PermissionDenied}, ...), and the message is written for a person to read.
 */
public class KeyhavenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String error;

    public KeyhavenException(int status, String error, String message) {
        this(status, error, message, null);
    }

    public KeyhavenException(int status, String error, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.error = error;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    /** The server could not be reached at all (connection refused, DNS, timeout). */
    public static final class Unreachable extends KeyhavenException {
        private static final long serialVersionUID = 1L;

        public Unreachable(String message, Throwable cause) {
            super(0, "Unreachable", message, cause);
        }
    }

    /** 401, or 403 {@code TokenError}: the token is missing, expired, revoked or malformed. */
    public static final class Unauthenticated extends KeyhavenException {
        private static final long serialVersionUID = 1L;

        public Unauthenticated(int status, String error, String message) {
            super(status, error, message);
        }
    }

    /** 403 {@code PermissionDenied}: the message names the action and the subject. */
    public static final class PermissionDenied extends KeyhavenException {
        private static final long serialVersionUID = 1L;

        public PermissionDenied(int status, String error, String message) {
            super(status, error, message);
        }
    }

    /** 429: too many attempts; {@link #retryAfterSeconds()} is the server's Retry-After (0 when absent). */
    public static final class RateLimited extends KeyhavenException {
        private static final long serialVersionUID = 1L;

        private final long retryAfterSeconds;

        public RateLimited(int status, String error, String message, long retryAfterSeconds) {
            super(status, error, message);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    /** 404. */
    public static final class NotFound extends KeyhavenException {
        private static final long serialVersionUID = 1L;

        public NotFound(int status, String error, String message) {
            super(status, error, message);
        }
    }

    /** 422 {@code ValidationFailure} (and 400 BadRequest): the message lists the fields. */
    public static final class Invalid extends KeyhavenException {
        private static final long serialVersionUID = 1L;

        public Invalid(int status, String error, String message) {
            super(status, error, message);
        }
    }
}
