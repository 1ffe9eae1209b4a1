package dev.keyhaven.server.connection;

import dev.keyhaven.server.platform.outbound.OutboundHttp;
import java.net.InetAddress;
import org.springframework.stereotype.Component;

/**
 * Reaches targets directly, under the same outbound rules as every HTTP call: the host is resolved
 * once, every address it resolves to must be public or inside {@code KEYHAVEN_OUTBOUND_ALLOWLIST}
 * (private and loopback networks only when listed there), and the socket is opened to the first
 * checked address as an IP literal, so the driver never resolves the name a second time.
 */
@Component
class DirectDialer implements Dialer {
    private final OutboundHttp outbound;

    DirectDialer(OutboundHttp outbound) {
        this.outbound = outbound;
    }

    @Override
    public Route route(String host, int port) {
        InetAddress[] checked;
        try {
            checked = outbound.checkHost(host);
        } catch (OutboundHttp.OutboundException e) {
            throw new ConnectionException(e.getMessage());
        }
        return new Route(checked[0].getHostAddress(), port, host);
    }
}
