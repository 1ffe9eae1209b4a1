package dev.keyhaven.server.dynamic;

/**
 * A provider's refusal or its system's failure, worded for the API caller: it names what to fix
 * (an unreachable host, a refused root credential, a bad statement template) and never carries a
 * credential.
 */
public class DynamicSecretException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DynamicSecretException(String message) {
        super(message);
    }
}
