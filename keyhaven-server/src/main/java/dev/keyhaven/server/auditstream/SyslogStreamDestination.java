package dev.keyhaven.server.auditstream;

import dev.keyhaven.server.outbox.DeliveryFailure;
import dev.keyhaven.server.outbox.OutboxDestination;
import dev.keyhaven.server.outbox.OutboxItem;
import dev.keyhaven.server.platform.outbound.OutboundHttp;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Delivers a syslog stream's events: each item is one RFC 5424 message (facility {@code log audit},
 * severity informational, MSGID the event type, MSG the event's JSON) sent over TCP, or TLS that
 * checks the receiver's certificate and name, framed by octet counting (RFC 6587). The host is
 * checked against the outbound allow-list on every delivery and the socket connects to exactly the
 * checked address, both by {@link OutboundHttp#connect}. A connection carries one item, so an item counts as delivered once the
 * receiver's TCP stack took all its bytes and the connection closed cleanly.
 */
@Component
class SyslogStreamDestination implements OutboxDestination {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final int WRITE_TIMEOUT_MS = 10_000;

    private final StreamTargets streams;
    private final OutboundHttp outbound;
    private final ObjectMapper json;

    SyslogStreamDestination(StreamTargets streams, OutboundHttp outbound, ObjectMapper json) {
        this.streams = streams;
        this.outbound = outbound;
        this.json = json;
    }

    @Override
    public String name() {
        return StreamProvider.SYSLOG.destination();
    }

    @Override
    public boolean ordered() {
        return true;
    }

    @Override
    public void deliver(OutboxItem item) throws DeliveryFailure {
        Optional<StreamTargets.SyslogTarget> target = streams.syslog(item.target());
        if (target.isEmpty()) {
            return;
        }
        StreamTargets.SyslogTarget t = target.get();
        byte[] frame =
                SyslogMessage.frame(SyslogMessage.of(item.payload(), json.readValue(item.payload(), JsonNode.class)));
        try (Socket socket = connect(t)) {
            OutputStream out = socket.getOutputStream();
            out.write(frame);
            out.flush();
            socket.shutdownOutput();
        } catch (OutboundHttp.OutboundException e) {
            throw new DeliveryFailure(e.getMessage(), false, null);
        } catch (IOException e) {
            throw new DeliveryFailure("syslog delivery failed: " + e.getClass().getSimpleName(), false, null);
        }
    }

    private Socket connect(StreamTargets.SyslogTarget t) throws IOException {
        Socket plain = outbound.connect(t.host(), t.port(), CONNECT_TIMEOUT);
        try {
            plain.setSoTimeout(WRITE_TIMEOUT_MS);
            if (!t.tls()) {
                return plain;
            }
            SSLContext ctx = t.caCert() != null ? OutboundHttp.sslContext(t.caCert()) : SSLContext.getDefault();
            SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(plain, t.host(), t.port(), true);
            SSLParameters params = tls.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(params);
            tls.startHandshake();
            return tls;
        } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
            plain.close();
            if (e instanceof IOException io) {
                throw io;
            }
            throw new IOException("TLS setup failed", e);
        }
    }
}
