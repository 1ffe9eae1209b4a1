package dev.keyhaven.server.identity;

/**
 * Why an AWS IAM login was refused. The message goes to the audit log and never holds a signature,
 * session token or header value; {@link #publicReason()} is what the unauthenticated caller is told.
 * A malformed login request is a 400, everything else a 401.
 */
final class AwsLoginRejected extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final boolean upstream;

    private AwsLoginRejected(String reason, int status, boolean upstream) {
        super(reason, null, false, false);
        this.status = status;
        this.upstream = upstream;
    }

    static AwsLoginRejected malformed(String reason) {
        return new AwsLoginRejected(reason, 400, false);
    }

    static AwsLoginRejected denied(String reason) {
        return new AwsLoginRejected(reason, 401, false);
    }

    /** STS could not be asked (network, SSRF guard, odd answer); the details stay in the audit log. */
    static AwsLoginRejected upstream(String reason) {
        return new AwsLoginRejected(reason, 401, true);
    }

    int status() {
        return status;
    }

    boolean upstream() {
        return upstream;
    }

    String publicReason() {
        return upstream ? "AWS STS could not be asked" : getMessage();
    }
}
