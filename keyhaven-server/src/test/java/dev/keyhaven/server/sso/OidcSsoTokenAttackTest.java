package dev.keyhaven.server.sso;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Browser;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * ID tokens no honest provider issues, from {@link StandInProvider} configured with manual
 * endpoints: each is refused and leaves no session. A token with nothing wrong signs in, so the
 * refusals come from the check named, not from the set-up.
 */
class OidcSsoTokenAttackTest {
    private static StandInProvider idp;

    @BeforeAll
    static void start() {
        idp = new StandInProvider();
    }

    @AfterAll
    static void stop() {
        idp.close();
    }

    private static SsoOrgs.Org org(TestServer server, String prefix) {
        SsoOrgs.Org org = SsoOrgs.newOrg(server, prefix);
        Res cfg = SsoOrgs.configure(org, idp.configuration());
        assertThat(cfg.status()).as(cfg.toString()).isEqualTo(200);
        return org;
    }

    /** A whole sign-in whose ID token {@code change} alters; returns the callback's page. */
    private static Browser.Page signIn(
            TestServer server,
            SsoOrgs.Org org,
            Browser browser,
            UnaryOperator<com.nimbusds.jwt.JWTClaimsSet.Builder> change,
            boolean foreignKey) {
        Browser.Page start = browser.get(SsoOrgs.loginUrl(server, org));
        assertThat(start.status()).as(start.body()).isEqualTo(302);
        assertThat(start.location()).startsWith(idp.base() + "/auth?");
        Map<String, String> q = query(start.location());
        idp.authorizationRequest(q);
        idp.nextToken(change, foreignKey);
        return browser.get(q.get("redirect_uri") + "?state=" + enc(q.get("state")) + "&code="
                + enc(StandInProvider.CODE) + "&iss=" + enc(idp.issuer()));
    }

    private static Map<String, String> query(String url) {
        Map<String, String> out = new HashMap<>();
        for (String kv : URI.create(url).getRawQuery().split("&")) {
            int eq = kv.indexOf('=');
            out.put(
                    URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void refused(Browser.Page page, Browser browser, String reason) {
        assertThat(page.status()).as(page.body()).isEqualTo(401);
        assertThat(page.body()).contains(reason);
        assertThat(browser.cookie("127.0.0.1", "kh_session")).isNull();
        assertThat(idp.problems()).as("the token request itself was right").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aTokenWithNothingWrongSignsIn(Db db) {
        TestServer server = TestServers.shared(db);
        Browser browser = new Browser();

        Browser.Page page = signIn(server, org(server, "standin-ok"), browser, b -> b, false);

        assertThat(page.status()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("stand-in@example.test");
        assertThat(browser.cookie("127.0.0.1", "kh_session")).isNotNull();
        assertThat(idp.problems()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aTokenSignedWithAForeignKeyIsRefused(Db db) {
        TestServer server = TestServers.shared(db);
        Browser browser = new Browser();
        refused(
                signIn(server, org(server, "standin-key"), browser, b -> b, true),
                browser,
                "signature does not verify");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aTokenWithAnotherNonceIsRefused(Db db) {
        TestServer server = TestServers.shared(db);
        Browser browser = new Browser();
        refused(
                signIn(server, org(server, "standin-nonce"), browser, b -> b.claim("nonce", "0".repeat(64)), false),
                browser,
                "nonce");
        Browser none = new Browser();
        refused(
                signIn(server, org(server, "standin-nononce"), none, b -> b.claim("nonce", null), false),
                none,
                "nonce");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aTokenForAnotherAudienceIsRefused(Db db) {
        TestServer server = TestServers.shared(db);
        Browser browser = new Browser();
        refused(
                signIn(server, org(server, "standin-aud"), browser, b -> b.audience("another-client"), false),
                browser,
                "audience");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anExpiredTokenOrOneFromAnotherIssuerIsRefused(Db db) {
        TestServer server = TestServers.shared(db);
        Browser expired = new Browser();
        refused(
                signIn(
                        server,
                        org(server, "standin-exp"),
                        expired,
                        b -> b.expirationTime(new Date(System.currentTimeMillis() - 3_600_000)),
                        false),
                expired,
                "expired");
        Browser issuer = new Browser();
        refused(
                signIn(server, org(server, "standin-iss"), issuer, b -> b.issuer("https://evil.example"), false),
                issuer,
                "issuer");
    }
}
