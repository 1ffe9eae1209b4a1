package dev.keyhaven.client;

/**
 * The answer to an e-mail and password: either the {@code session}, or (when the account has a
 * second factor) an {@code mfaToken} to send with the code to {@code /api/v1/auth/mfa/verify} and
 * the {@code mfaMethod} ({@code totp} or {@code email}) that says where the code comes from.
 */
public record PasswordLogin(UserTokens session, String mfaToken, String mfaMethod) {
    public boolean mfaRequired() {
        return session == null;
    }
}
