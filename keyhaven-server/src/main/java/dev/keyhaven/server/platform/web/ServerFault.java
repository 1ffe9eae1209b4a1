package dev.keyhaven.server.platform.web;

/**
 * A failure inside the server that the client cannot fix: its details go to the server log only,
 * and the client gets a 500 (or, for a fault that passes, a 503 with {@code Retry-After}) with the
 * fault's error name and a fixed, detail-free message.
 */
public abstract class ServerFault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String error;
    private final String publicMessage;
    private final int retryAfterSeconds;

    protected ServerFault(String error, String publicMessage, String detail) {
        this(error, publicMessage, detail, 0);
    }

    /**
     * A fault that may pass (a key service that cannot be reached): answered with 503 and {@code
     * Retry-After} when {@code retryAfterSeconds} is positive.
     */
    protected ServerFault(String error, String publicMessage, String detail, int retryAfterSeconds) {
        super(detail);
        this.error = error;
        this.publicMessage = publicMessage;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Seconds after which a retry may succeed, or 0 for a fault that does not pass by itself. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public String error() {
        return error;
    }

    public String publicMessage() {
        return publicMessage;
    }
}
