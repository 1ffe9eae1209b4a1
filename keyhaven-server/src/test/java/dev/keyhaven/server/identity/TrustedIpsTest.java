package dev.keyhaven.server.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyhaven.server.platform.web.ValidationException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Trusted-IP lists: IPv4 and IPv6, CIDR or single address, literals only. */
class TrustedIpsTest {

    private static List<Map<String, Object>> list(String... ips) {
        return TrustedIps.parse(
                "ips",
                java.util.Arrays.stream(ips)
                        .map(ip -> Map.<String, Object>of("ipAddress", ip))
                        .toList());
    }

    @Test
    void matchesCidrsAndSingleAddresses() {
        var ips = list("10.0.0.0/8", "192.168.1.7", "2001:db8::/32");
        assertThat(TrustedIps.allows(ips, "10.20.30.40")).isTrue();
        assertThat(TrustedIps.allows(ips, "11.0.0.1")).isFalse();
        assertThat(TrustedIps.allows(ips, "192.168.1.7")).isTrue();
        assertThat(TrustedIps.allows(ips, "192.168.1.8")).isFalse();
        assertThat(TrustedIps.allows(ips, "2001:db8:1::1")).isTrue();
        assertThat(TrustedIps.allows(ips, "2001:db9::1")).isFalse();
        assertThat(TrustedIps.allows(ips, "::ffff:10.1.1.1")).isTrue();
    }

    @Test
    void anIpv4MappedBlockMatchesTheIpv4AddressesItHolds() {
        // written in IPv6 notation with an IPv6 prefix: the prefix was once applied to the bare IPv4
        // bytes, refusing addresses inside the block and overrunning the array (a 500) for others
        var ips = list("::ffff:10.0.0.0/104");
        assertThat(TrustedIps.allows(ips, "10.9.8.7")).isTrue();
        assertThat(TrustedIps.allows(ips, "10.0.0.1")).isTrue();
        assertThat(TrustedIps.allows(ips, "::ffff:10.9.8.7")).isTrue();
        assertThat(TrustedIps.allows(ips, "11.0.0.1")).isFalse();
        assertThat(TrustedIps.allows(ips, "not an address")).isFalse();
        // typed by how it is written, as Infisical does (only a dotted quad is "ipv4")
        assertThat(ips.get(0)).containsEntry("type", "ipv6").containsEntry("prefix", 104);
    }

    @Test
    void theDefaultAllowsEverywhere() {
        assertThat(TrustedIps.allows(TrustedIps.ANYWHERE, "127.0.0.1")).isTrue();
        assertThat(TrustedIps.allows(TrustedIps.ANYWHERE, "0:0:0:0:0:0:0:1")).isTrue();
    }

    @Test
    void refusesHostNamesAndBadPrefixes() {
        for (String bad : List.of("example.com", "10.0.0.0/33", "300.1.1.1", "::/129", "1.2.3", "")) {
            assertThatThrownBy(() -> list(bad)).as(bad).isInstanceOf(ValidationException.class);
        }
        assertThatThrownBy(() -> TrustedIps.parse("ips", List.of())).isInstanceOf(ValidationException.class);
    }
}
