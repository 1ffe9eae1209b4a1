package dev.keyhaven.server.admin;

import dev.keyhaven.server.platform.web.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.springframework.stereotype.Component;

/**
 * Decides who may call bootstrap: a client connected over loopback (and not through a proxy that
 * says it forwards someone else), or any client presenting the one-time bootstrap token in the
 * {@value #HEADER} header, compared in constant time. Once bootstrap has succeeded nobody may call
 * it again, so the token is good for one use.
 */
@Component
public class BootstrapGate {
    /** The header the bootstrap token travels in. */
    public static final String HEADER = "X-Keyhaven-Bootstrap-Token";

    private static final String[] FORWARDING_HEADERS = {"Forwarded", "X-Forwarded-For", "X-Real-IP"};
    private final byte[] expectedDigest;

    public BootstrapGate(BootstrapProperties settings) {
        String expected = settings.expectedToken();
        this.expectedDigest = expected == null ? null : sha256(expected);
    }

    void check(HttpServletRequest request) {
        String presented = request.getHeader(HEADER);
        if (presented != null) {
            if (expectedDigest != null && MessageDigest.isEqual(expectedDigest, sha256(presented))) {
                return;
            }
            throw ApiException.forbidden("The bootstrap token is not valid");
        }
        if (fromLoopback(request)) {
            return;
        }
        throw ApiException.forbidden("Bootstrap is allowed only from localhost, or with the bootstrap token"
                + " (KEYHAVEN_BOOTSTRAP_TOKEN) in the " + HEADER + " header");
    }

    private static boolean fromLoopback(HttpServletRequest request) {
        for (String h : FORWARDING_HEADERS) {
            if (request.getHeader(h) != null) {
                return false; // a proxy on this host forwards someone else
            }
        }
        try {
            // getRemoteAddr is a literal address, so this does no name lookup
            return InetAddress.getByName(request.getRemoteAddr()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
