package dev.keyhaven.server.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The public HMAC helper against RFC 4231's published HMAC-SHA256 vector, so signer and verifier cannot agree on a wrong MAC. */
class HmacTest {

    @Test
    void matchesTheRfc4231TestVector() {
        assertThat(Hmac.sha256Hex("Jefe", "what do ya want for nothing?"))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void verifiesOnlyTheExactSignature() {
        String sig = Hmac.sha256Hex("Jefe", "what do ya want for nothing?");
        assertThat(Hmac.verifyHex("Jefe", "what do ya want for nothing?", sig)).isTrue();
        assertThat(Hmac.verifyHex("Jefe", "what do ya want for nothing!", sig)).isFalse();
        assertThat(Hmac.verifyHex("Jeff", "what do ya want for nothing?", sig)).isFalse();
        assertThat(Hmac.verifyHex("Jefe", "what do ya want for nothing?", sig.toUpperCase()))
                .isFalse();
        assertThat(Hmac.verifyHex("Jefe", "what do ya want for nothing?", null)).isFalse();
    }
}
