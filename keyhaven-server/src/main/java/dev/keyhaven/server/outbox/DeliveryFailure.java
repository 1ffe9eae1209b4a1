package dev.keyhaven.server.outbox;

import java.io.Serial;

/**
 * A failed delivery a destination explains: the reason (words without secrets, stored as the
 * item's last error) and whether retrying can help. A permanent failure (an address the relay
 * refuses outright, say) moves the item to the dead letters at once.
 */
public class DeliveryFailure extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    private final boolean permanent;

    public DeliveryFailure(String reason, boolean permanent, Throwable cause) {
        super(reason, cause);
        this.permanent = permanent;
    }

    public boolean permanent() {
        return permanent;
    }
}
