package dev.keyhaven.server.platform.net;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The addresses a server-side request must not reach on its own: every block that IANA's
 * special-purpose address registries mark as not globally reachable, plus multicast and (for
 * IPv6) everything outside global unicast. IPv6 forms that carry an IPv4 address (IPv4-mapped,
 * the NAT64 well-known prefix, 6to4) are judged by the IPv4 address they carry.
 *
 * <p>The lists follow, as of 2025:
 * <ul>
 * <li>IANA "IPv4 Special-Purpose Address Registry"
 * (https://www.iana.org/assignments/iana-ipv4-special-registry/), RFC 6890 and its updates;</li>
 * <li>IANA "IPv6 Special-Purpose Address Registry"
 * (https://www.iana.org/assignments/iana-ipv6-special-registry/), RFC 6890 and its updates;</li>
 * <li>IANA "IPv6 Global Unicast Address Assignments" / "Internet Protocol Version 6 Address
 * Space": only 2000::/3 is allocated for global unicast (RFC 4291 §2.4), so everything else
 * (reserved ::/8 with the deprecated IPv4-compatible ::/96, 100::/8, 4000::/3 with 5f00::/16,
 * site-local fec0::/10, ...) is refused after the named blocks below.</li>
 * </ul>
 * A registry entry whose "Globally Reachable" is True but which sits inside a block marked False
 * (192.0.0.9 PCP and 192.0.0.10 TURN anycast in 192.0.0.0/24; PCP, TURN, AMT, AS112, ORCHIDv2 and
 * drone remote ID inside 2001::/23) is refused with its parent block: no identity provider lives
 * there, and an operator who needs one opens it with the outbound allowlist. Teredo (2001::/32)
 * is refused the same way rather than decoded. No Java library on the classpath carries these
 * registries (Guava only decodes the embedded forms), hence this one table. Check it against
 * the registries when they change.
 */
public final class SpecialPurposeAddresses {

    /** One registry entry. */
    private record Block(IpRange range, String name) {
        static Block of(String cidr, String name) {
            return new Block(IpRange.parse(cidr).orElseThrow(), cidr + " (" + name + ")");
        }
    }

    /** An IPv6 block whose addresses carry an IPv4 address at {@code offset} (four bytes). */
    private record Embedding(IpRange range, String name, int offset) {
        static Embedding of(String cidr, String name, int offset) {
            return new Embedding(IpRange.parse(cidr).orElseThrow(), name, offset);
        }
    }

    private static final List<Block> IPV4 = List.of(
            Block.of("0.0.0.0/8", "\"this network\", RFC 791"),
            Block.of("10.0.0.0/8", "private use, RFC 1918"),
            Block.of("100.64.0.0/10", "shared address space, RFC 6598"),
            Block.of("127.0.0.0/8", "loopback, RFC 1122"),
            Block.of("169.254.0.0/16", "link local, RFC 3927"),
            Block.of("172.16.0.0/12", "private use, RFC 1918"),
            Block.of("192.0.0.0/24", "IETF protocol assignments, RFC 6890"),
            Block.of("192.0.2.0/24", "documentation TEST-NET-1, RFC 5737"),
            Block.of("192.88.99.0/24", "deprecated 6to4 relay anycast, RFC 7526"),
            Block.of("192.168.0.0/16", "private use, RFC 1918"),
            Block.of("198.18.0.0/15", "benchmarking, RFC 2544"),
            Block.of("198.51.100.0/24", "documentation TEST-NET-2, RFC 5737"),
            Block.of("203.0.113.0/24", "documentation TEST-NET-3, RFC 5737"),
            // not in the special-purpose registry: the IPv4 multicast address space registry
            Block.of("224.0.0.0/4", "multicast, RFC 5771"),
            // the most specific first: the broadcast address lies inside 240.0.0.0/4
            Block.of("255.255.255.255/32", "limited broadcast, RFC 919"),
            Block.of("240.0.0.0/4", "reserved, RFC 1112"));

    private static final List<Embedding> EMBEDDINGS = List.of(
            Embedding.of("::ffff:0:0/96", "IPv4-mapped address (RFC 4291)", 12),
            Embedding.of("64:ff9b::/96", "NAT64 well-known prefix (RFC 6052)", 12),
            Embedding.of("2002::/16", "6to4 address (RFC 3056)", 2));

    private static final List<Block> IPV6 = List.of(
            Block.of("::/128", "unspecified, RFC 4291"),
            Block.of("::1/128", "loopback, RFC 4291"),
            Block.of("::/96", "deprecated IPv4-compatible, RFC 4291"),
            Block.of("64:ff9b:1::/48", "local-use IPv4/IPv6 translation, RFC 8215"),
            Block.of("100::/64", "discard-only, RFC 6666"),
            Block.of("100:0:0:1::/64", "dummy IPv6 prefix, RFC 9780"),
            Block.of("2001::/23", "IETF protocol assignments incl. Teredo 2001::/32, RFC 2928"),
            Block.of("2001:db8::/32", "documentation, RFC 3849"),
            Block.of("3fff::/20", "documentation, RFC 9637"),
            Block.of("5f00::/16", "segment routing SIDs, RFC 9602"),
            Block.of("fc00::/7", "unique local, RFC 4193"),
            Block.of("fe80::/10", "link-local unicast, RFC 4291"),
            Block.of("fec0::/10", "deprecated site-local, RFC 3879"),
            Block.of("ff00::/8", "multicast, RFC 4291"));

    private static final IpRange GLOBAL_UNICAST = IpRange.parse("2000::/3").orElseThrow();

    private SpecialPurposeAddresses() {}

    /**
     * Why the address (4 or 16 bytes) must not be reached, naming the block, or empty for an
     * ordinary global address. An IPv6 address that carries an IPv4 one is judged by that.
     */
    public static Optional<String> blockedBecause(byte[] address) {
        if (address == null || (address.length != 4 && address.length != 16)) {
            return Optional.of("not an IP address");
        }
        if (address.length == 4) {
            return first(IPV4, address);
        }
        for (Embedding e : EMBEDDINGS) {
            if (e.range().contains(address)) {
                byte[] v4 = Arrays.copyOfRange(address, e.offset(), e.offset() + 4);
                return first(IPV4, v4).map(why -> e.name() + " of " + IpRange.format(v4) + ", in " + why);
            }
        }
        Optional<String> named = first(IPV6, address);
        if (named.isPresent() || GLOBAL_UNICAST.contains(address)) {
            return named;
        }
        return Optional.of("outside 2000::/3, the only IPv6 space allocated for global unicast (RFC 4291)");
    }

    private static Optional<String> first(List<Block> blocks, byte[] address) {
        for (Block b : blocks) {
            if (b.range().contains(address)) {
                return Optional.of(b.name());
            }
        }
        return Optional.empty();
    }
}
