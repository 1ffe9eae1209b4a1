package dev.keyhaven.server.connection;

/**
 * A target that cannot be reached or refused the credentials, worded for the API caller: it names
 * the host, port or kind of failure and never a credential.
 */
public class ConnectionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConnectionException(String message) {
        super(message);
    }
}
