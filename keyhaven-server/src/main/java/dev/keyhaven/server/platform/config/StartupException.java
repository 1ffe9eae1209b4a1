package dev.keyhaven.server.platform.config;

/**
 * A configuration problem the operator must fix before the server can start. Its message is
 * the one line printed on start-up failure, so it names the setting and what to do.
 */
public class StartupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
