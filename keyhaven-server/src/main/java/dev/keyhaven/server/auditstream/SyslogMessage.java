package dev.keyhaven.server.auditstream;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;

/**
 * An audit event as an RFC 5424 syslog message and its RFC 6587 octet-counting frame:
 * {@code <110>1 TIMESTAMP HOSTNAME keyhaven - MSGID - JSON}, where 110 is facility 13 (log audit)
 * with severity 6 (informational), MSGID the event type (cut to the 32 characters RFC 5424
 * allows) and the message the event in the audit-logs API's JSON shape.
 */
final class SyslogMessage {
    static final int PRI = 13 * 8 + 6;
    private static final String HOSTNAME = localHostName();

    private SyslogMessage() {}

    static String of(String payload, JsonNode event) {
        String timestamp = event.path("createdAt").asString("-");
        String type = event.path("event").path("type").asString("audit");
        return "<" + PRI + ">1 " + timestamp + " " + HOSTNAME + " keyhaven - " + field(type, 32) + " - " + payload;
    }

    /** {@code LENGTH SP MESSAGE}, the length in octets of the UTF-8 message. */
    static byte[] frame(String message) {
        byte[] msg = message.getBytes(StandardCharsets.UTF_8);
        byte[] prefix = (msg.length + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[prefix.length + msg.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(msg, 0, out, prefix.length, msg.length);
        return out;
    }

    /** A header field: printable US-ASCII without spaces, at most {@code max} characters, or "-". */
    static String field(String s, int max) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            if (c > 32 && c < 127) {
                b.append(c);
            }
        }
        return b.isEmpty() ? "-" : b.toString();
    }

    private static String localHostName() {
        try {
            return field(InetAddress.getLocalHost().getHostName(), 255);
        } catch (UnknownHostException e) {
            return "-";
        }
    }
}
