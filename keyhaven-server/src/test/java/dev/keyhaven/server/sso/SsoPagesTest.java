package dev.keyhaven.server.sso;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Browser;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The plain sign-in pages: choosing an organization, and the error page for an organization that
 * does not use OIDC or has turned it off. They load nothing, run nothing and are never cached.
 */
class SsoPagesTest {
    private static StandInProvider idp;

    @BeforeAll
    static void start() {
        idp = new StandInProvider();
    }

    @AfterAll
    static void stop() {
        idp.close();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void withoutAnOrganizationThePageAsksForItsSlug(Db db) {
        TestServer server = TestServers.shared(db);

        Browser.Page page = new Browser().get(server.baseUrl + SsoOrgs.LOGIN);

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("name=\"orgSlug\"").doesNotContain("<script");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
                .contains("default-src 'none'");
        assertThat(page.headers().firstValue("Cache-Control").orElse("")).isEqualTo("no-store");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anUnknownOrgOrOneWithOidcTurnedOffGetsTheErrorPageAndNoRedirect(Db db) {
        TestServer server = TestServers.shared(db);
        SsoOrgs.Org org = SsoOrgs.newOrg(server, "pages");
        Browser browser = new Browser();

        Browser.Page unknown = browser.get(server.baseUrl + SsoOrgs.LOGIN + "?orgSlug=%3Cb%3Enope%3C%2Fb%3E");
        Browser.Page unconfigured = browser.get(SsoOrgs.loginUrl(server, org));
        assertThat(SsoOrgs.configure(org, idp.configuration()).status()).isEqualTo(200);
        assertThat(org.api()
                        .patch(SsoOrgs.CONFIG, Map.of("organizationId", org.id(), "isActive", false))
                        .status())
                .isEqualTo(200);
        Browser.Page turnedOff = browser.get(SsoOrgs.loginUrl(server, org));

        for (Browser.Page p : new Browser.Page[] {unknown, unconfigured, turnedOff}) {
            assertThat(p.status()).isEqualTo(404);
            assertThat(p.body())
                    .contains("No organization with that slug uses OIDC single sign-on")
                    .doesNotContain("<b>");
            assertThat(p.location()).isNull();
        }
        assertThat(browser.cookie("127.0.0.1", "kh_sso")).isNull();
    }
}
