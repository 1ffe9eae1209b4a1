package dev.keyhaven.server.sync;

/**
 * A destination's refusal or failure, worded for the sync's status message: it names what to fix
 * (a missing permission at the destination, an unknown repository) and never carries a secret.
 */
public class SyncException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SyncException(String message) {
        super(message);
    }
}
