package dev.keyhaven.server.platform.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One IPv4 or IPv6 address block, from a literal address ({@code 10.0.0.7}, {@code 2001:db8::1})
 * or CIDR ({@code 10.0.0.0/8}, {@code 2001:db8::/32}), parsed once and matched without
 * allocation. Only literals are accepted: text that is not an address is refused, never looked
 * up in DNS. An IPv4 address and its IPv4-mapped IPv6 form ({@code ::ffff:a.b.c.d}) are the same
 * address; otherwise IPv6 blocks hold no IPv4 address ({@code ::/0} is not "everything").
 */
public final class IpRange {
    private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");
    private static final Pattern IPV6 = Pattern.compile("^[0-9a-fA-F:.]+$");

    private final String text;
    private final byte[] network;
    private final int prefix;
    private final boolean ipv6;

    private IpRange(String text, byte[] network, int prefix, boolean ipv6) {
        this.text = text;
        this.network = network;
        this.prefix = prefix;
        this.ipv6 = ipv6;
    }

    /** Parses an address or CIDR block; empty when the text is neither. */
    public static Optional<IpRange> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String value = text.trim();
        String addr = value;
        Integer prefix = null;
        int slash = value.indexOf('/');
        if (slash >= 0) {
            addr = value.substring(0, slash);
            String bits = value.substring(slash + 1);
            if (bits.isEmpty() || bits.length() > 3 || !bits.chars().allMatch(Character::isDigit)) {
                return Optional.empty();
            }
            prefix = Integer.parseInt(bits);
        }
        boolean v6 = addr.contains(":");
        byte[] bytes = address(addr);
        if (bytes == null || addr.indexOf('%') >= 0) {
            return Optional.empty();
        }
        if (v6 && bytes.length == 4) {
            bytes = mapped(bytes);
        }
        int max = bytes.length * 8;
        if (prefix != null && (prefix < 0 || prefix > max)) {
            return Optional.empty();
        }
        return Optional.of(new IpRange(value, bytes, prefix == null ? max : prefix, v6));
    }

    /**
     * The bytes of a literal address (4 for IPv4, 16 for IPv6; an IPv6 zone such as {@code %eth0}
     * is ignored), or null when the text is not one.
     */
    public static byte[] address(String text) {
        if (text == null || text.isEmpty() || text.length() > 64) {
            return null;
        }
        String addr = text;
        int pct = addr.indexOf('%');
        if (pct >= 0) {
            addr = addr.substring(0, pct);
        }
        if (IPV4.matcher(addr).matches()) {
            String[] parts = addr.split("\\.");
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(parts[i]);
                if (octet > 255) {
                    return null;
                }
                b[i] = (byte) octet;
            }
            return b;
        }
        if (!addr.contains(":") || !IPV6.matcher(addr).matches()) {
            return null;
        }
        try {
            // a string with ':' made of hex digits, ':' and '.' is parsed as a literal, never resolved
            return InetAddress.getByName(addr).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** The usual text of an address given as bytes (IPv6 uncompressed, as servlet containers report it). */
    public static String format(byte[] address) {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("an address has 4 or 16 bytes", e);
        }
    }

    /** True when the address (as returned by {@link #address}) lies in this block. */
    public boolean contains(byte[] addr) {
        if (addr == null) {
            return false;
        }
        byte[] a = addr;
        if (a.length != network.length) {
            // the families meet only in IPv4-mapped notation: ::/0 does not hold 10.0.0.1, ::ffff:10.0.0.0/104 does
            a = a.length == 4 ? (mappedBlock() ? mapped(a) : null) : unmapped(a);
            if (a == null) {
                return false;
            }
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (network[i] != a[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (network[full] & mask) == (a[full] & mask);
    }

    /** True when the address text is a literal inside this block. */
    public boolean contains(String addr) {
        return contains(address(addr));
    }

    /** {@code "ipv4"} or {@code "ipv6"}, by how the block was written. */
    public String type() {
        return ipv6 ? "ipv6" : "ipv4";
    }

    /** The address part as written (without the prefix). */
    public String addressText() {
        int slash = text.indexOf('/');
        return slash < 0 ? text : text.substring(0, slash);
    }

    /** The prefix length as written, or null for a single address. */
    public Integer writtenPrefix() {
        return text.indexOf('/') < 0 ? null : prefix;
    }

    private boolean mappedBlock() {
        return prefix >= 96 && unmapped(network) != null;
    }

    private static byte[] mapped(byte[] v4) {
        byte[] out = new byte[16];
        out[10] = (byte) 0xff;
        out[11] = (byte) 0xff;
        System.arraycopy(v4, 0, out, 12, 4);
        return out;
    }

    private static byte[] unmapped(byte[] v6) {
        for (int i = 0; i < 10; i++) {
            if (v6[i] != 0) {
                return null;
            }
        }
        if ((v6[10] & 0xff) != 0xff || (v6[11] & 0xff) != 0xff) {
            return null;
        }
        return Arrays.copyOfRange(v6, 12, 16);
    }

    @Override
    public String toString() {
        return text;
    }
}
