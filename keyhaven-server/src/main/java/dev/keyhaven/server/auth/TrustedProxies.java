package dev.keyhaven.server.auth;

import dev.keyhaven.server.platform.config.NetworkProperties;
import dev.keyhaven.server.platform.config.StartupException;
import dev.keyhaven.server.platform.net.IpRange;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Decides which address a request comes from. By default the socket peer; when the peer is one
 * of the operator's trusted proxies ({@code KEYHAVEN_TRUSTED_PROXIES}), {@code X-Forwarded-For} is
 * read from the right, skipping further trusted proxies, and the first address that is not one is
 * the client. Each proxy appends the peer it saw, so only the entries added by trusted proxies can
 * be believed; anything to their left was written by the client. A malformed entry makes the
 * whole header untrustworthy and the socket address counts.
 */
public final class TrustedProxies {
    public static final String HEADER = "X-Forwarded-For";
    private static final int MAX_ENTRIES = 64;
    private final List<IpRange> proxies;

    private TrustedProxies(List<IpRange> proxies) {
        this.proxies = List.copyOf(proxies);
    }

    /** The proxies this server trusts, from {@code KEYHAVEN_TRUSTED_PROXIES}; a bad entry stops start-up. */
    @Configuration(proxyBeanMethods = false)
    static class Config {
        @Bean
        TrustedProxies trustedProxies(NetworkProperties props) {
            return parse(props.trustedProxies());
        }
    }

    /** Parses the comma list of addresses or CIDRs; blank means none (the socket address always counts). */
    public static TrustedProxies parse(String config) {
        List<IpRange> out = new ArrayList<>();
        if (config != null) {
            for (String part : config.split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                out.add(IpRange.parse(part)
                        .orElseThrow(() -> new StartupException("KEYHAVEN_TRUSTED_PROXIES: '" + part.trim()
                                + "' is not an IPv4 or IPv6 address or CIDR block (e.g. 10.0.0.0/8,::1/128)")));
            }
        }
        return new TrustedProxies(out);
    }

    public boolean isEmpty() {
        return proxies.isEmpty();
    }

    /**
     * The client address for a request from {@code socketAddress} carrying these
     * {@code X-Forwarded-For} header values (in the order received; may be null).
     */
    public String clientAddress(String socketAddress, Enumeration<String> forwardedFor) {
        if (proxies.isEmpty() || forwardedFor == null || !trusted(IpRange.address(socketAddress))) {
            return socketAddress;
        }
        List<String> entries = new ArrayList<>();
        while (forwardedFor.hasMoreElements()) {
            String value = forwardedFor.nextElement();
            if (value == null) {
                continue;
            }
            for (String entry : value.split(",", -1)) {
                entries.add(entry.trim());
                if (entries.size() > MAX_ENTRIES) {
                    return socketAddress;
                }
            }
        }
        if (entries.isEmpty()) {
            return socketAddress;
        }
        byte[] client = null;
        for (int i = entries.size() - 1; i >= 0; i--) {
            client = IpRange.address(entries.get(i));
            if (client == null || entries.get(i).indexOf('%') >= 0) {
                return socketAddress;
            }
            if (!trusted(client)) {
                return IpRange.format(client);
            }
        }
        // every hop is a trusted proxy: the leftmost is the furthest one known
        return IpRange.format(client);
    }

    private boolean trusted(byte[] address) {
        if (address == null) {
            return false;
        }
        for (IpRange proxy : proxies) {
            if (proxy.contains(address)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return proxies.toString();
    }
}
