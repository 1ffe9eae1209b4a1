package dev.keyhaven.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyhaven.server.actor.ClientInfo;
import dev.keyhaven.server.platform.config.StartupException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** Which address counts when requests arrive through proxies. */
class TrustedProxiesTest {
    private static final TrustedProxies PROXIES = TrustedProxies.parse("127.0.0.1/32, 10.0.0.0/8,fd00::/8");

    private static Enumeration<String> xff(String... values) {
        return Collections.enumeration(List.of(values));
    }

    @Test
    void withoutTrustedProxiesTheSocketAddressCountsWhateverTheHeaderSays() {
        TrustedProxies none = TrustedProxies.parse("");
        assertThat(none.isEmpty()).isTrue();
        assertThat(none.clientAddress("127.0.0.1", xff("203.0.113.9"))).isEqualTo("127.0.0.1");
    }

    @Test
    void anUntrustedPeerCannotNameAnotherAddress() {
        assertThat(PROXIES.clientAddress("198.51.100.7", xff("203.0.113.9"))).isEqualTo("198.51.100.7");
    }

    @Test
    void behindATrustedProxyTheAddressItAppendedCounts() {
        assertThat(PROXIES.clientAddress("127.0.0.1", xff("203.0.113.9"))).isEqualTo("203.0.113.9");
    }

    @Test
    void theHeaderIsWalkedFromTheRightSkippingTrustedProxies() {
        // the client forged the first entry; the proxies appended the real client and each other
        assertThat(PROXIES.clientAddress("127.0.0.1", xff("1.1.1.1, 203.0.113.9, 10.0.0.5, 10.2.3.4")))
                .isEqualTo("203.0.113.9");
    }

    @Test
    void severalHeaderLinesCountInTheOrderReceived() {
        assertThat(PROXIES.clientAddress("127.0.0.1", xff("1.1.1.1, 203.0.113.9", "10.0.0.5")))
                .isEqualTo("203.0.113.9");
    }

    @Test
    void ipv6EntriesAreNormalisedLikeSocketAddresses() {
        assertThat(PROXIES.clientAddress("fd00::2", xff("2001:DB8::1"))).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(PROXIES.clientAddress("127.0.0.1", xff("2001:db8::1, fd12::1")))
                .isEqualTo("2001:db8:0:0:0:0:0:1");
    }

    @Test
    void aMalformedEntryFallsBackToTheSocketAddress() {
        assertThat(PROXIES.clientAddress("127.0.0.1", xff("203.0.113.9, garbage")))
                .isEqualTo("127.0.0.1");
        assertThat(PROXIES.clientAddress("127.0.0.1", xff("203.0.113.9:4711"))).isEqualTo("127.0.0.1");
        assertThat(PROXIES.clientAddress("127.0.0.1", xff("203.0.113.9,"))).isEqualTo("127.0.0.1");
        assertThat(PROXIES.clientAddress("127.0.0.1", xff("unknown"))).isEqualTo("127.0.0.1");
        assertThat(PROXIES.clientAddress("127.0.0.1", xff("example.com"))).isEqualTo("127.0.0.1");
    }

    @Test
    void aMissingOrEmptyHeaderLeavesTheSocketAddress() {
        assertThat(PROXIES.clientAddress("127.0.0.1", xff())).isEqualTo("127.0.0.1");
        assertThat(PROXIES.clientAddress("127.0.0.1", null)).isEqualTo("127.0.0.1");
    }

    @Test
    void whenEveryHopIsATrustedProxyTheLeftmostCounts() {
        assertThat(PROXIES.clientAddress("127.0.0.1", xff("10.9.9.9, 10.0.0.5")))
                .isEqualTo("10.9.9.9");
    }

    @Test
    void anOverlongChainIsNotBelieved() {
        String chain = String.join(",", Collections.nCopies(100, "10.0.0.1"));
        assertThat(PROXIES.clientAddress("127.0.0.1", xff("203.0.113.9," + chain)))
                .isEqualTo("127.0.0.1");
    }

    @Test
    void anInvalidProxyEntryStopsTheServerWithTheSettingNamed() {
        assertThatThrownBy(() -> TrustedProxies.parse("10.0.0.0/8,proxy.internal"))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("KEYHAVEN_TRUSTED_PROXIES")
                .hasMessageContaining("proxy.internal");
    }

    @Test
    void clientInfoReadsTheAddressTheFilterSettled() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setRemoteAddr("127.0.0.1");
        request.addHeader("X-Forwarded-For", "203.0.113.9");
        assertThat(ClientInfo.ip(request)).as("before the filter ran").isEqualTo("127.0.0.1");

        var beans = new StaticListableBeanFactory(Map.of("trustedProxies", TrustedProxies.parse("127.0.0.1/32")));
        new ClientAddressFilter(beans.getBeanProvider(TrustedProxies.class))
                .doFilter(request, new MockHttpServletResponse(), (req, res) -> {});

        assertThat(ClientInfo.ip(request)).isEqualTo("203.0.113.9");
    }
}
