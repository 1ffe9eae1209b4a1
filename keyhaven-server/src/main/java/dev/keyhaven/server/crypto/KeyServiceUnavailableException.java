package dev.keyhaven.server.crypto;

import dev.keyhaven.server.platform.web.ServerFault;

/**
 * The service holding the root key (an HSM, a cloud KMS) cannot be reached, or refuses the key
 * (disabled, access revoked). Nothing is wrong with the stored data: requests that need a key not
 * in the cache answer 503 with {@code Retry-After} until the service answers again or the key is
 * given back, and nothing is written meanwhile.
 */
public class KeyServiceUnavailableException extends ServerFault {
    private static final long serialVersionUID = 1L;
    static final int RETRY_AFTER_SECONDS = 5;

    public KeyServiceUnavailableException(String detail) {
        super(
                "KeyServiceUnavailable",
                "The key service that protects this data cannot be reached or refused the key; try again later",
                detail,
                RETRY_AFTER_SECONDS);
    }
}
