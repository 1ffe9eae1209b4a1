package dev.keyhaven.server.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * One real SMTP server (GreenMail) for the whole test run: every test server sends its mail here,
 * and tests read it back by recipient. Recipients are unique per test, so tests never see each
 * other's mail.
 */
public final class TestMail {
    private static GreenMail smtp;

    private TestMail() {}

    public static synchronized int port() {
        if (smtp == null) {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            smtp.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> smtp.stop()));
        }
        return smtp.getSmtp().getPort();
    }

    /** The server arguments that send mail to the test SMTP server. */
    public static List<String> serverArgs() {
        return List.of(
                "--keyhaven.smtp.host=127.0.0.1",
                "--keyhaven.smtp.port=" + port(),
                "--keyhaven.smtp.from=Keyhaven <keyhaven@test.local>");
    }

    /** The messages sent to {@code to} so far. */
    public static List<MimeMessage> to(String to) {
        port();
        return Arrays.stream(smtp.getReceivedMessages())
                .filter(m -> {
                    try {
                        return Arrays.stream(m.getAllRecipients())
                                .anyMatch(a -> a.toString().equalsIgnoreCase(to));
                    } catch (Exception e) {
                        return false;
                    }
                })
                .toList();
    }

    /** Waits for the {@code n}-th (1-based) message to {@code to} and returns it. */
    public static MimeMessage await(String to, int n) {
        return Awaitility.await("message #" + n + " to " + to)
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(25))
                .until(() -> to(to), got -> got.size() >= n)
                .get(n - 1);
    }

    public static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String body(MimeMessage m) {
        try {
            return m.getContent().toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first match of {@code regex}'s group 1 in the body. */
    public static String find(MimeMessage m, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(body(m));
        if (!matcher.find()) {
            throw new AssertionError("no " + regex + " in: " + body(m));
        }
        return matcher.group(1);
    }
}
