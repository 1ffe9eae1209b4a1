package dev.keyhaven.server.auditstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Api;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The RFC 5424 header and the RFC 6587 octet count, which counts bytes, not characters. */
class SyslogMessageTest {

    @Test
    void theFrameCountsTheUtf8OctetsOfTheMessage() {
        String payload = "{\"createdAt\":\"2026-12-07T22:00:00.000Z\",\"event\":{\"type\":\"create-secret\","
                + "\"metadata\":{\"secretPath\":\"/caf\u00e9 \u2603\"}}}";
        String message = SyslogMessage.of(payload, Api.JSON.readTree(payload));
        assertThat(message)
                .matches("<110>1 2026-12-07T22:00:00\\.000Z \\S+ keyhaven - create-secret - \\{.*")
                .endsWith(payload);
        byte[] frame = SyslogMessage.frame(message);
        String text = new String(frame, StandardCharsets.UTF_8);
        int space = text.indexOf(' ');
        int count = Integer.parseInt(text.substring(0, space));
        assertThat(count)
                .isEqualTo(message.getBytes(StandardCharsets.UTF_8).length)
                .isGreaterThan(message.length());
        assertThat(frame.length).isEqualTo(space + 1 + count);
    }

    @Test
    void theMsgidIsCutToThirtyTwoPrintableCharacters() {
        String payload = "{\"event\":{\"type\":\"login-identity-universal-auth-failed\"}}";
        String message = SyslogMessage.of(payload, Api.JSON.readTree(payload));
        assertThat(message).contains(" keyhaven - login-identity-universal-auth-fa - {");
        assertThat(message).startsWith("<110>1 - ");
        assertThat(SyslogMessage.field("a b\u00e9\nc", 32)).isEqualTo("abc");
        assertThat(SyslogMessage.field("", 32)).isEqualTo("-");
    }
}
