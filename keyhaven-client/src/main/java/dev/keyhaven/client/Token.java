package dev.keyhaven.client;

/** A login or renew response. {@code expiresIn} 0 means the token does not expire. */
public record Token(String accessToken, long expiresIn, long accessTokenMaxTtl, String tokenType) {}
