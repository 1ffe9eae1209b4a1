package dev.keyhaven.server.auth.machine;

import dev.keyhaven.server.platform.web.ValidationException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Lists of trusted addresses ({@code [{ipAddress}]}, IPv4 or IPv6, single address or CIDR) as
 * stored ({@code {ipAddress, type, prefix}}) and matched. Only literals are accepted: a host
 * name is refused rather than resolved.
 */
public final class TrustedIps {
    public static final List<Map<String, Object>> ANYWHERE = List.of(
            entry("0.0.0.0", "ipv4", 0), entry("::", "ipv6", 0));
    private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");
    private static final Pattern IPV6 = Pattern.compile("^[0-9a-fA-F:.]+$");

    private TrustedIps() {}

    /** Validates and normalises a request's list; {@code null} gives the allow-everywhere default. */
    public static List<Map<String, Object>> parse(String field, List<Map<String, Object>> input) {
        if (input == null) {
            return ANYWHERE;
        }
        if (input.isEmpty()) {
            throw ValidationException.field(field, "At least one trusted IP is required");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < input.size(); i++) {
            Object raw = input.get(i) == null ? null : input.get(i).get("ipAddress");
            if (!(raw instanceof String s) || s.isBlank()) {
                throw ValidationException.field(field + "." + i + ".ipAddress", "Required");
            }
            out.add(parseOne(field + "." + i + ".ipAddress", s.trim()));
        }
        return out;
    }

    static Map<String, Object> parseOne(String field, String value) {
        String addr = value;
        Integer prefix = null;
        int slash = value.indexOf('/');
        if (slash >= 0) {
            addr = value.substring(0, slash);
            try {
                prefix = Integer.parseInt(value.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw ValidationException.field(field, "The IP is not a valid IPv4, IPv6, or CIDR block");
            }
        }
        boolean v4 = IPV4.matcher(addr).matches();
        boolean v6 = !v4 && addr.contains(":") && IPV6.matcher(addr).matches();
        byte[] bytes = v4 || v6 ? literal(addr) : null;
        int max = v4 ? 32 : 128;
        if (bytes == null || (v4 && bytes.length != 4) || (prefix != null && (prefix < 0 || prefix > max))) {
            throw ValidationException.field(field, "The IP is not a valid IPv4, IPv6, or CIDR block");
        }
        String type = bytes.length == 4 ? "ipv4" : "ipv6";
        return prefix == null ? entry(addr, type, null) : entry(addr, type, prefix);
    }

    /** True when the address lies in one of the entries. */
    public static boolean allows(List<Map<String, Object>> entries, String address) {
        byte[] client = literal(stripZone(address));
        if (client == null) {
            return false;
        }
        for (Map<String, Object> e : entries) {
            byte[] net = literal(String.valueOf(e.get("ipAddress")));
            if (net == null) {
                continue;
            }
            byte[] c = client;
            if (net.length != c.length) {
                c = mapped(c, net.length);
                if (c == null) {
                    continue;
                }
            }
            Object p = e.get("prefix");
            int prefix = p == null ? net.length * 8 : ((Number) p).intValue();
            if (inPrefix(net, c, prefix)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] mapped(byte[] client, int wanted) {
        // an IPv4-mapped IPv6 address (::ffff:a.b.c.d) counts as the IPv4 address
        if (client.length == 16 && wanted == 4) {
            for (int i = 0; i < 10; i++) {
                if (client[i] != 0) {
                    return null;
                }
            }
            if ((client[10] & 0xff) == 0xff && (client[11] & 0xff) == 0xff) {
                return new byte[] {client[12], client[13], client[14], client[15]};
            }
        }
        return null;
    }

    private static boolean inPrefix(byte[] net, byte[] addr, int prefix) {
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (net[i] != addr[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (net[full] & mask) == (addr[full] & mask);
    }

    private static String stripZone(String address) {
        int pct = address.indexOf('%');
        return pct < 0 ? address : address.substring(0, pct);
    }

    private static byte[] literal(String addr) {
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
        if (!(addr.contains(":") && IPV6.matcher(addr).matches())) {
            return null;
        }
        try {
            return InetAddress.getByName(addr).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static Map<String, Object> entry(String ip, String type, Integer prefix) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ipAddress", ip);
        m.put("type", type);
        if (prefix != null) {
            m.put("prefix", prefix);
        }
        return m;
    }
}
