package dev.keyhaven.server.identity;

import dev.keyhaven.server.platform.net.IpRange;
import dev.keyhaven.server.platform.web.ValidationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lists of trusted addresses ({@code [{ipAddress}]}, IPv4 or IPv6, single address or CIDR) as
 * stored ({@code {ipAddress, type, prefix}}) and matched through {@link IpRange}. Only literals
 * are accepted: a host name is refused rather than resolved.
 */
public final class TrustedIps {
    public static final List<Map<String, Object>> ANYWHERE =
            List.of(entry("0.0.0.0", "ipv4", 0), entry("::", "ipv6", 0));

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
        IpRange range = IpRange.parse(value)
                .orElseThrow(() -> ValidationException.field(field, "The IP is not a valid IPv4, IPv6, or CIDR block"));
        return entry(range.addressText(), range.type(), range.writtenPrefix());
    }

    /** True when the address lies in one of the entries. */
    public static boolean allows(List<Map<String, Object>> entries, String address) {
        byte[] client = IpRange.address(address);
        if (client == null) {
            return false;
        }
        for (Map<String, Object> e : entries) {
            Object prefix = e.get("prefix");
            String block = e.get("ipAddress") + (prefix instanceof Number n ? "/" + n.intValue() : "");
            if (IpRange.parse(block).map(r -> r.contains(client)).orElse(false)) {
                return true;
            }
        }
        return false;
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
