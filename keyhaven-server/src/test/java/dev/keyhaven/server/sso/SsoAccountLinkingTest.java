package dev.keyhaven.server.sso;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Browser;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.People;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * Which account a verified sign-in lands in: a new one just in time, with the organization's
 * default role; or an existing one, where an address nobody had verified in Keyhaven loses the
 * password someone set on it.
 */
class SsoAccountLinkingTest {
    private static StandInProvider idp;

    @BeforeAll
    static void start() {
        idp = new StandInProvider();
    }

    @AfterAll
    static void stop() {
        idp.close();
    }

    private static Browser.Page signIn(TestServer server, SsoOrgs.Org org, Browser browser, String email) {
        Browser.Page start = browser.get(SsoOrgs.loginUrl(server, org));
        Map<String, String> q = new HashMap<>();
        for (String kv : URI.create(start.location()).getRawQuery().split("&")) {
            int eq = kv.indexOf('=');
            q.put(kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
        idp.authorizationRequest(q);
        idp.nextToken(b -> b.claim("email", email).claim("given_name", "Jit").claim("family_name", "Person"), false);
        return browser.get(q.get("redirect_uri") + "?state=" + URLEncoder.encode(q.get("state"), StandardCharsets.UTF_8)
                + "&code=" + StandInProvider.CODE);
    }

    private static JsonNode membership(SsoOrgs.Org org, String email) {
        Res members = org.api().get("/api/v2/organizations/" + org.id() + "/memberships");
        for (JsonNode m : members.body().path("users")) {
            if (email.equals(m.path("user").path("email").asString())) {
                return m;
            }
        }
        return null;
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aNewAddressGetsAnAccountAndTheOrgsDefaultRole(Db db) {
        TestServer server = TestServers.shared(db);
        SsoOrgs.Org org = SsoOrgs.newOrg(server, "jit");
        assertThat(org.api()
                        .patch("/api/v1/organization/" + org.id(), Map.of("defaultMembershipRoleSlug", "no-access"))
                        .status())
                .isEqualTo(200);
        assertThat(SsoOrgs.configure(org, idp.configuration()).status()).isEqualTo(200);
        String email = Fixtures.unique("jit").toLowerCase() + "@example.test";

        Browser.Page page = signIn(server, org, new Browser(), email);

        assertThat(page.status()).as(page.body()).isEqualTo(200);
        JsonNode m = membership(org, email);
        assertThat(m).as("a member now").isNotNull();
        assertThat(m.path("role").asString()).isEqualTo("no-access");
        assertThat(m.path("status").asString()).isEqualTo("accepted");
        assertThat(m.path("user").path("firstName").asString()).isEqualTo("Jit");
        assertThat(new People(server).login(email, People.PASSWORD).status())
                .as("a just-in-time account has no password")
                .isEqualTo(401);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anUnverifiedLocalAccountLosesThePasswordSomeoneSetOnIt(Db db) {
        TestServer server = TestServers.shared(db);
        SsoOrgs.Org org = SsoOrgs.newOrg(server, "squat");
        assertThat(SsoOrgs.configure(org, idp.configuration()).status()).isEqualTo(200);
        String email = Fixtures.unique("squatted").toLowerCase() + "@example.test";
        Res squat = server.anonymous().post("/api/v1/auth/signup", Map.of("email", email, "password", People.PASSWORD));
        assertThat(squat.status()).as(squat.toString()).isEqualTo(200);
        assertThat(new People(server).login(email, People.PASSWORD).status())
                .as("the squatter never verified the address")
                .isEqualTo(403);

        Browser owner = new Browser();
        Browser.Page page = signIn(server, org, owner, email);

        assertThat(page.status()).as(page.body()).isEqualTo(200);
        assertThat(owner.cookie("127.0.0.1", "kh_session")).isNotNull();
        assertThat(new People(server).login(email, People.PASSWORD).status())
                .as("the squatter's password is gone")
                .isEqualTo(401);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anAccountSomeoneOwnsIsLinkedOnlyOnceTheyJoinedAndTheSessionStaysInThatOrg(Db db) {
        TestServer server = TestServers.shared(db);
        People people = new People(server);
        SsoOrgs.Org org = SsoOrgs.newOrg(server, "owned");
        assertThat(SsoOrgs.configure(org, idp.configuration()).status()).isEqualTo(200);
        People.OrgAdmin elsewhere = people.orgAdmin("owned-elsewhere");

        Browser.Page refused = signIn(server, org, new Browser(), elsewhere.email());

        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.body()).contains("already exists and has not joined");
        assertThat(membership(org, elsewhere.email())).isNull();

        SsoOrgs.join(server, org, elsewhere.email());
        Browser browser = new Browser();
        assertThat(signIn(server, org, browser, elsewhere.email()).status()).isEqualTo(200);
        Res switched = server.as(browser.cookie("127.0.0.1", "kh_session"))
                .post("/api/v1/auth/select-organization", Map.of("organizationId", elsewhere.orgId()));
        assertThat(switched.status())
                .as("an SSO session stays in its organization")
                .isEqualTo(403);
        assertThat(switched.raw()).contains("belongs to the organization it was started for");
    }
}
