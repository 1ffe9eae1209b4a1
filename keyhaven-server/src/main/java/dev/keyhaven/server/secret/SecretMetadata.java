package dev.keyhaven.server.secret;

import dev.keyhaven.server.platform.log.Redaction;

/** One metadata entry of a secret; encrypted entries are sealed at rest and masked in audit rows. */
public record SecretMetadata(String key, String value, boolean isEncrypted) {
    @Override
    public String toString() {
        return Redaction.toString(this);
    }
}
