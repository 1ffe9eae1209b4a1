package dev.keyhaven.server.sso;

/**
 * Why an SSO login did not complete. The message is shown on the error page and audited, so it
 * never holds a code, token, secret or nonce.
 */
class SsoFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    SsoFailure(String message) {
        this(400, message);
    }

    SsoFailure(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
