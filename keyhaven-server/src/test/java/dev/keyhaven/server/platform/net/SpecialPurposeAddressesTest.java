package dev.keyhaven.server.platform.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every special-purpose block at its edges, the IPv6 forms that carry an IPv4 address, and public addresses. */
class SpecialPurposeAddressesTest {

    private static byte[] bytes(String literal) {
        byte[] b = IpRange.address(literal);
        assertThat(b).as("literal %s", literal).isNotNull();
        if (literal.startsWith("::ffff:") && b.length == 4) {
            // the JDK reads ::ffff:a.b.c.d as four bytes; test the 16-byte form, which the table decodes
            return new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, b[0], b[1], b[2], b[3]};
        }
        return b;
    }

    @ParameterizedTest(name = "{0} is blocked as {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0.0.0.0                | 0.0.0.0/8
            0.255.255.255          | 0.0.0.0/8
            10.0.0.0               | 10.0.0.0/8
            10.255.255.255         | 10.0.0.0/8
            100.64.0.0             | 100.64.0.0/10
            100.127.255.255        | 100.64.0.0/10
            127.0.0.1              | 127.0.0.0/8
            127.255.255.255        | 127.0.0.0/8
            169.254.0.0            | 169.254.0.0/16
            169.254.169.254        | 169.254.0.0/16
            172.16.0.0             | 172.16.0.0/12
            172.31.255.255         | 172.16.0.0/12
            192.0.0.0              | 192.0.0.0/24
            192.0.0.9              | 192.0.0.0/24
            192.0.0.255            | 192.0.0.0/24
            192.0.2.0              | 192.0.2.0/24
            192.0.2.255            | 192.0.2.0/24
            192.88.99.1            | 192.88.99.0/24
            192.168.0.0            | 192.168.0.0/16
            192.168.255.255        | 192.168.0.0/16
            198.18.0.0             | 198.18.0.0/15
            198.19.255.255         | 198.18.0.0/15
            198.51.100.0           | 198.51.100.0/24
            198.51.100.255         | 198.51.100.0/24
            203.0.113.0            | 203.0.113.0/24
            203.0.113.255          | 203.0.113.0/24
            224.0.0.1              | 224.0.0.0/4
            239.255.255.255        | 224.0.0.0/4
            240.0.0.0              | 240.0.0.0/4
            254.255.255.255        | 240.0.0.0/4
            255.255.255.255        | 255.255.255.255/32
            ::                     | ::/128
            ::1                    | ::1/128
            ::2                    | ::/96
            ::a00:1                | ::/96
            ::8.8.8.8              | ::/96
            ::127.0.0.1            | ::/96
            64:ff9b:1::            | 64:ff9b:1::/48
            64:ff9b:1:ffff::1      | 64:ff9b:1::/48
            100::                  | 100::/64
            100::ffff:ffff:ffff:ffff | 100::/64
            100:0:0:1::1           | 100:0:0:1::/64
            2001::                 | 2001::/23
            2001:0:4136:e378:8000:63bf:3fff:fdd2 | 2001::/23
            2001:1::1              | 2001::/23
            2001:1ff:ffff::1       | 2001::/23
            2001:db8::             | 2001:db8::/32
            2001:db8:ffff:ffff::1  | 2001:db8::/32
            3fff::                 | 3fff::/20
            3fff:fff:ffff::1       | 3fff::/20
            5f00::1                | 5f00::/16
            fc00::                 | fc00::/7
            fdff:ffff::1           | fc00::/7
            fe80::                 | fe80::/10
            febf:ffff::1           | fe80::/10
            fec0::1                | fec0::/10
            ff02::1                | ff00::/8
            ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | ff00::/8
            ::ffff:127.0.0.1       | IPv4-mapped address (RFC 4291) of 127.0.0.1, in 127.0.0.0/8
            ::ffff:10.1.2.3        | IPv4-mapped address (RFC 4291) of 10.1.2.3, in 10.0.0.0/8
            ::ffff:198.18.0.1      | IPv4-mapped address (RFC 4291) of 198.18.0.1, in 198.18.0.0/15
            64:ff9b::7f00:1        | NAT64 well-known prefix (RFC 6052) of 127.0.0.1, in 127.0.0.0/8
            64:ff9b::a9fe:a9fe     | NAT64 well-known prefix (RFC 6052) of 169.254.169.254, in 169.254.0.0/16
            64:ff9b::c000:0201     | NAT64 well-known prefix (RFC 6052) of 192.0.2.1, in 192.0.2.0/24
            2002:7f00:1::          | 6to4 address (RFC 3056) of 127.0.0.1, in 127.0.0.0/8
            2002:a00:1:1::1        | 6to4 address (RFC 3056) of 10.0.0.1, in 10.0.0.0/8
            2002:c0a8:101::1       | 6to4 address (RFC 3056) of 192.168.1.1, in 192.168.0.0/16
            2002:f000:1::          | 6to4 address (RFC 3056) of 240.0.0.1, in 240.0.0.0/4
            4000::1                | outside 2000::/3
            100:1::1               | outside 2000::/3
            """)
    void blocked(String address, String because) {
        assertThat(SpecialPurposeAddresses.blockedBecause(bytes(address)))
                .as(address)
                .hasValueSatisfying(why -> assertThat(why).startsWith(because));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "1.1.1.1",
                "8.8.8.8",
                "9.255.255.255",
                "11.0.0.0",
                "100.63.255.255",
                "100.128.0.0",
                "126.255.255.255",
                "128.0.0.0",
                "169.253.255.255",
                "169.255.0.0",
                "172.15.255.255",
                "172.32.0.0",
                "191.255.255.255",
                "192.0.1.0",
                "192.0.3.0",
                "192.88.98.255",
                "192.167.255.255",
                "192.169.0.0",
                "198.17.255.255",
                "198.20.0.0",
                "198.51.99.255",
                "198.51.101.0",
                "203.0.112.255",
                "203.0.114.0",
                "223.255.255.255",
                "2001:200::1",
                "2001:4860:4860::8888",
                "2606:4700:4700::1111",
                "2a00:1450::1",
                "2001:db7:ffff::1",
                "2001:db9::1",
                "3fff:1000::1",
                // IPv4 carried in IPv6 is judged by the IPv4 address
                "::ffff:8.8.8.8",
                "64:ff9b::808:808",
                "2002:808:808::1"
            })
    void publicAddressesPass(String address) {
        assertThat(SpecialPurposeAddresses.blockedBecause(bytes(address)))
                .as(address)
                .isEmpty();
    }
}
