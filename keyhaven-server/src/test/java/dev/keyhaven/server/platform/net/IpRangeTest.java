package dev.keyhaven.server.platform.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpRangeTest {
    private static IpRange range(String text) {
        return IpRange.parse(text).orElseThrow(() -> new AssertionError("did not parse: " + text));
    }

    @Test
    void anIpv4BlockContainsExactlyItsAddresses() {
        IpRange r = range("10.1.0.0/16");
        assertThat(r.contains("10.1.0.0")).isTrue();
        assertThat(r.contains("10.1.255.255")).isTrue();
        assertThat(r.contains("10.2.0.0")).isFalse();
        assertThat(r.contains("10.0.255.255")).isFalse();
        assertThat(r.type()).isEqualTo("ipv4");
        assertThat(r.addressText()).isEqualTo("10.1.0.0");
        assertThat(r.writtenPrefix()).isEqualTo(16);
    }

    @Test
    void aPrefixThatIsNotAByteBoundaryMasksTheRightBits() {
        IpRange r = range("192.168.1.64/27");
        assertThat(r.contains("192.168.1.64")).isTrue();
        assertThat(r.contains("192.168.1.95")).isTrue();
        assertThat(r.contains("192.168.1.96")).isFalse();
        assertThat(r.contains("192.168.1.63")).isFalse();
    }

    @Test
    void aSingleAddressIsAFullLengthBlock() {
        IpRange r = range("203.0.113.7");
        assertThat(r.contains("203.0.113.7")).isTrue();
        assertThat(r.contains("203.0.113.8")).isFalse();
        assertThat(r.writtenPrefix()).isNull();
    }

    @Test
    void ipv6CidrBlocksParseAndMatchInAnySpelling() {
        IpRange r = range("2001:db8:abcd::/48");
        assertThat(r.type()).isEqualTo("ipv6");
        assertThat(r.writtenPrefix()).isEqualTo(48);
        assertThat(r.contains("2001:db8:abcd:12::1")).isTrue();
        assertThat(r.contains("2001:0DB8:ABCD:0000:0000:0000:0000:0001")).isTrue();
        assertThat(r.contains("2001:db8:abce::1")).isFalse();
        assertThat(r.contains("10.0.0.1")).isFalse();
        assertThat(range("::1/128").contains("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(range("::/0").contains("2a00:1450::1")).isTrue();
        assertThat(range("fe80::/10").contains("fe80::1%eth0")).isTrue();
    }

    @Test
    void anIpv4MappedAddressIsTheIpv4Address() {
        assertThat(range("127.0.0.0/8").contains("::ffff:127.0.0.1")).isTrue();
        assertThat(range("::ffff:10.0.0.0/104").contains("10.200.0.1")).isTrue();
        assertThat(range("::ffff:10.0.0.0/104").contains("11.0.0.1")).isFalse();
        assertThat(range("10.0.0.0/8").contains("::ffff:10.1.2.3")).isTrue();
    }

    @Test
    void otherwiseTheFamiliesDoNotMix() {
        assertThat(range("::/0").contains("10.0.0.1")).isFalse();
        assertThat(range("::/64").contains("127.0.0.1")).isFalse();
        assertThat(range("0.0.0.0/0").contains("::1")).isFalse();
        assertThat(range("0.0.0.0/0").contains("2001:db8::1")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                " ",
                "localhost",
                "example.com",
                "10.0.0.256",
                "10.0.0",
                "10.0.0.0/33",
                "10.0.0.0/-1",
                "10.0.0.0/",
                "10.0.0.0/8/8",
                "::1/129",
                "2001:db8::g",
                "1.2.3.4:80",
                "[::1]",
                "fe80::1%eth0",
                "10.0.0.0/ 8",
                "1::2::3"
            })
    void textThatIsNotALiteralAddressOrBlockIsRefused(String text) {
        assertThat(IpRange.parse(text)).isEmpty();
    }

    @Test
    void addressesAreFormattedTheWayServletContainersReportThem() {
        assertThat(IpRange.format(IpRange.address("2001:DB8::1"))).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(IpRange.format(IpRange.address("198.51.100.4"))).isEqualTo("198.51.100.4");
        assertThat(IpRange.address("not-an-ip")).isNull();
    }
}
