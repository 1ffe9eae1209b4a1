package dev.keyhaven.client;

/** A secret as the server returns it (the fields the CLI uses). */
public record Secret(
        String id,
        String key,
        String value,
        String comment,
        String environment,
        String secretPath,
        int version,
        String type,
        boolean valueHidden) {}
