package dev.keyhaven.server.people;

import dev.keyhaven.server.platform.log.Redaction;

/**
 * A person's account with its credential state. It stays inside this package: the password hash
 * and the sealed TOTP secret never leave it.
 */
record Account(
        String id,
        String email,
        String username,
        String firstName,
        String lastName,
        String passwordHash,
        boolean superAdmin,
        boolean emailVerified,
        int failedLogins,
        Long lockedUntil,
        String mfaMethod,
        String totpSecret,
        boolean totpConfirmed,
        long totpLastStep,
        int mfaFailures,
        Long mfaLockedUntil) {
    @Override
    public String toString() {
        return Redaction.toString(this);
    }

    boolean lockedAt(long now) {
        return lockedUntil != null && lockedUntil > now;
    }

    boolean mfaLockedAt(long now) {
        return mfaLockedUntil != null && mfaLockedUntil > now;
    }

    boolean hasMfa() {
        return mfaMethod != null;
    }

    /** Complete: it has a password (an invited person gets one when accepting). */
    boolean complete() {
        return passwordHash != null;
    }
}
