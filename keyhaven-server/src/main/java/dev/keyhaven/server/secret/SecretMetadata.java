package dev.keyhaven.server.secret;

/** One metadata entry of a secret; encrypted entries are sealed at rest and masked in audit rows. */
public record SecretMetadata(String key, String value, boolean isEncrypted) {}
