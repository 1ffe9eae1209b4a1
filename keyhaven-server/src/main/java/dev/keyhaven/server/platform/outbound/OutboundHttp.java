package dev.keyhaven.server.platform.outbound;

import dev.keyhaven.server.platform.config.KeyhavenProperties;
import dev.keyhaven.server.platform.net.IpRange;
import dev.keyhaven.server.platform.net.SpecialPurposeAddresses;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The one way auth methods call other servers (OIDC discovery, JWKS, Kubernetes TokenReview, and
 * later STS). Every call has connect and read timeouts and a response size limit, never follows a
 * redirect, and is refused when the host resolves to a special-purpose address (loopback,
 * link-local, private, reserved, multicast, ... see {@link SpecialPurposeAddresses}, which also
 * decodes IPv4 addresses carried in IPv6 forms) unless {@code KEYHAVEN_OUTBOUND_ALLOWLIST} allows it: a login
 * request names the URL indirectly (through its configuration), so without this guard anyone able
 * to configure an auth method could make the server probe its own network (SSRF).
 *
 * <p>DNS rebinding: the host is resolved and every address it resolves to must pass; the request is
 * then made by the JDK client, which resolves again through the same JVM address cache. Java keeps
 * successful lookups for {@code networkaddress.cache.ttl} seconds (30 by default), so the connect,
 * milliseconds after the check, uses the checked answer. An operator who sets that TTL to 0 loses
 * this protection; see docs/configuration.md.
 */
@Component
public class OutboundHttp {
    /** Largest response body read; JWKS and discovery documents are a few kilobytes. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private final List<IpRange> allowlist;
    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

    @Autowired
    public OutboundHttp(KeyhavenProperties properties) {
        this(properties.outboundAllowlist());
    }

    OutboundHttp(String allowlist) {
        this.allowlist = parseAllowlist(allowlist);
    }

    /** A response whose body was read in full (within {@link #MAX_BODY_BYTES}). */
    public record Response(int status, String body) {}

    /** Thrown for every refused or failed call; its message is safe to audit and log. */
    public static class OutboundException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public OutboundException(String message) {
            super(message);
        }

        public OutboundException(String message, Throwable cause) {
            super(message, cause);
        }

        /** True when the TLS handshake failed, typically because the configured CA does not vouch for the server. */
        public boolean tlsFailure() {
            for (Throwable t = getCause(); t != null; t = t.getCause()) {
                if (t instanceof javax.net.ssl.SSLException) {
                    return true;
                }
            }
            return false;
        }
    }

    /** GETs a URL; {@code caCertPem} (optional) replaces the JDK trust store for HTTPS. */
    public Response get(String url, String caCertPem) {
        URI uri = checkUrl(url);
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(READ_TIMEOUT)
                .header("Accept", "application/json")
                .GET()
                .build();
        return send(request, caCertPem);
    }

    /**
     * POSTs a JSON body (a Kubernetes TokenReview) with extra headers such as {@code Authorization};
     * header values never appear in an {@link OutboundException}. {@code caCertPem} as for {@link #get}.
     */
    public Response postJson(String url, String caCertPem, String jsonBody, Map<String, String> headers) {
        URI uri = checkUrl(url);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(READ_TIMEOUT)
                .header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
        headers.forEach(b::header);
        return send(b.build(), caCertPem);
    }

    /**
     * POSTs {@code body} with exactly the given headers (no {@code Accept} of its own), for callers
     * that replay a request someone else signed (AWS STS). A {@code Host} header among them is sent
     * instead of the URL's authority; the JVM allows that only with
     * {@code -Djdk.httpclient.allowRestrictedHeaders=host}, which the launcher sets.
     */
    public Response post(String url, List<Map.Entry<String, String>> headers, byte[] body, String caCertPem) {
        return post(url, headers, body, caCertPem, READ_TIMEOUT);
    }

    /**
     * As {@link #post(String, List, byte[], String)}, waiting at most {@code timeout} (at most the
     * default read timeout) for the answer: a caller on a background thread (the outbox) that would
     * rather retry later than wait on a receiver that hangs.
     */
    public Response post(
            String url, List<Map.Entry<String, String>> headers, byte[] body, String caCertPem, Duration timeout) {
        URI uri = checkUrl(url);
        Duration wait = timeout == null || timeout.compareTo(READ_TIMEOUT) > 0 ? READ_TIMEOUT : timeout;
        HttpRequest.Builder b =
                HttpRequest.newBuilder(uri).timeout(wait).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (Map.Entry<String, String> h : headers) {
            try {
                b.header(h.getKey(), h.getValue());
            } catch (IllegalArgumentException e) {
                throw new OutboundException(
                        h.getKey().equalsIgnoreCase("Host")
                                ? "the JVM refuses to set the Host header; start it with -Djdk.httpclient.allowRestrictedHeaders=host"
                                : "header " + h.getKey() + " cannot be sent");
            }
        }
        return send(b.build(), caCertPem);
    }

    /** Validates the URL's form and that its host may be reached now. */
    public URI checkUrl(String url) {
        URI uri = parseUrl(url);
        checkHost(uri.getHost());
        return uri;
    }

    /**
     * Validates only the URL's form, without looking its host up: http or https, with a host and
     * no user info. {@link #checkUrl} applies it first; a caller that answers a bad form apart
     * from a refused host (a 422 rather than a 400) applies it on its own.
     */
    public static URI parseUrl(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new OutboundException("invalid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new OutboundException("only http and https URLs are allowed");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw new OutboundException("invalid URL host");
        }
        return uri;
    }

    /**
     * Opens a TCP connection to a host that {@link #checkHost} allows, to exactly the checked
     * address, for a caller that speaks its own protocol over it (syslog). The host is checked
     * again on every call, since a name can come to resolve elsewhere.
     */
    public Socket connect(String host, int port, Duration timeout) throws IOException {
        InetAddress address = checkHost(host)[0];
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(address, port), Math.toIntExact(timeout.toMillis()));
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Resolves the host and refuses it when any of its addresses is not allowed; returns the checked
     * addresses so a caller that opens its own sockets (LDAP) can connect to exactly those.
     */
    public InetAddress[] checkHost(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(h);
        } catch (UnknownHostException e) {
            throw new OutboundException("cannot resolve host " + h);
        }
        for (InetAddress a : addresses) {
            if (!allowed(a)) {
                throw new OutboundException("host " + h + " resolves to a blocked address " + a.getHostAddress() + ": "
                        + blockedBecause(a).orElse("blocked") + " (see KEYHAVEN_OUTBOUND_ALLOWLIST)");
            }
        }
        return addresses;
    }

    /** True when the address is public, or inside the operator's allowlist. */
    public boolean allowed(InetAddress a) {
        byte[] address = a.getAddress();
        for (IpRange range : allowlist) {
            if (range.contains(address)) {
                return true;
            }
        }
        return blockedBecause(a).isEmpty();
    }

    /** Why the address is refused (the special-purpose block it lies in), or empty when it is public. */
    static Optional<String> blockedBecause(InetAddress a) {
        return SpecialPurposeAddresses.blockedBecause(a.getAddress());
    }

    private Response send(HttpRequest request, String caCertPem) {
        HttpClient client = clients.computeIfAbsent(caCertPem == null ? "" : caCertPem, this::newClient);
        try {
            HttpResponse<InputStream> res = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = res.body()) {
                byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
                if (body.length > MAX_BODY_BYTES) {
                    throw new OutboundException("response larger than " + MAX_BODY_BYTES + " bytes");
                }
                if (res.statusCode() >= 300 && res.statusCode() < 400) {
                    throw new OutboundException("redirects are not followed (status " + res.statusCode() + ")");
                }
                return new Response(res.statusCode(), new String(body, StandardCharsets.UTF_8));
            }
        } catch (java.net.http.HttpTimeoutException e) {
            throw new OutboundException("request timed out", e);
        } catch (IOException e) {
            throw new OutboundException("request failed: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutboundException("interrupted", e);
        }
    }

    private HttpClient newClient(String caCertPem) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1);
        if (!caCertPem.isBlank()) {
            b.sslContext(sslContext(caCertPem));
        }
        return b.build();
    }

    /** An SSL context trusting exactly the given PEM certificates (an operator's private CA). */
    public static SSLContext sslContext(String pem) {
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c :
                    cf.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                ks.setCertificateEntry("ca" + i++, c);
            }
            if (i == 0) {
                throw new OutboundException("the CA certificate holds no certificate");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new OutboundException("invalid CA certificate", e);
        }
    }

    /** Validates a PEM CA bundle as {@link #get} would use it. */
    public static void checkCaCert(String pem) {
        sslContext(pem);
    }

    static List<IpRange> parseAllowlist(String raw) {
        if (raw == null || raw.isBlank()) {
            return List.of();
        }
        List<IpRange> entries = new ArrayList<>();
        for (String part : raw.split(",")) {
            if (!part.isBlank()) {
                entries.add(IpRange.parse(part.trim())
                        .orElseThrow(() -> new IllegalArgumentException(
                                "KEYHAVEN_OUTBOUND_ALLOWLIST must be a comma list of CIDRs, e.g. 127.0.0.0/8,::1/128; got "
                                        + raw)));
            }
        }
        return List.copyOf(entries);
    }
}
