package dev.keyhaven.server.auditstream;

import dev.keyhaven.server.platform.log.Redaction;

/**
 * One header a custom stream sends with every delivery, typically an {@code Authorization} token.
 * The value is a credential: sealed at rest, never answered, masked in {@link #toString()}.
 */
public record StreamHeader(String key, String value) {
    @Override
    public String toString() {
        return Redaction.toString(this);
    }
}
