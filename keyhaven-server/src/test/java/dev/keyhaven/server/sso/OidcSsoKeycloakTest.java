package dev.keyhaven.server.sso;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Browser;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Keycloak;
import dev.keyhaven.server.support.People;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestMail;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * People signing in to an organization through a real Keycloak (started once per test JVM): the
 * browser flow driven by {@link Browser}, which follows the redirects and posts Keycloak's own
 * login form. Also what an attacker can try with a real provider: a changed state, the answer
 * taken to another browser or replayed, an authorization code used twice, an unverified e-mail.
 */
class OidcSsoKeycloakTest {
    private static final String WEB_CLIENT = "keyhaven-web";
    private static final String WEB_SECRET = "keyhaven-web-secret";

    private static Keycloak keycloak() {
        return Keycloak.shared();
    }

    private static SsoOrgs.Org keycloakOrg(TestServer server, String prefix) {
        SsoOrgs.Org org = SsoOrgs.newOrg(server, prefix);
        Res cfg = SsoOrgs.configure(
                org,
                Map.of(
                        "configurationType",
                        "discoveryURL",
                        "discoveryURL",
                        keycloak().issuer(),
                        "clientId",
                        WEB_CLIENT,
                        "clientSecret",
                        WEB_SECRET));
        assertThat(cfg.status()).as(cfg.toString()).isEqualTo(200);
        return org;
    }

    /** Starts at Keyhaven, signs in at Keycloak, and returns Keycloak's redirect back (not yet followed). */
    private static Browser.Page toCallback(Browser browser, TestServer server, SsoOrgs.Org org, String user) {
        Browser.Page start = browser.get(SsoOrgs.loginUrl(server, org));
        assertThat(start.status()).as(start.body()).isEqualTo(302);
        Browser.Page form = browser.follow(start);
        assertThat(form.status()).as(form.body()).isEqualTo(200);
        Browser.Page answer = browser.postForm(
                form.keycloakLoginAction(),
                Map.of("username", user, "password", user + "-password", "credentialId", ""));
        assertThat(answer.status()).as(answer.body()).isEqualTo(302);
        assertThat(answer.location()).startsWith(server.baseUrl + "/api/v1/sso/oidc/callback?");
        return answer;
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

    private static String withParam(String url, String name, String value) {
        return url.replaceAll("([?&])" + name + "=[^&]*", "$1" + name + "=" + value);
    }

    private static JsonNode me(Browser browser, TestServer server) {
        Browser.Page me = browser.get(server.baseUrl + "/api/v1/user/me");
        assertThat(me.status()).as(me.body()).isEqualTo(200);
        return dev.keyhaven.server.support.Api.JSON.readTree(me.body());
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aPersonSignsInThroughKeycloakWithPkceAndGetsABrowserSessionInTheOrg(Db db) {
        TestServer server = TestServers.shared(db);
        SsoOrgs.Org org = keycloakOrg(server, "oidc-happy");
        SsoOrgs.join(server, org, "alice@example.test");
        Browser browser = new Browser();

        Browser.Page start = browser.get(SsoOrgs.loginUrl(server, org));
        assertThat(start.status()).isEqualTo(302);
        Map<String, String> authz = query(start.location());
        assertThat(start.location()).startsWith(keycloak().issuer() + "/protocol/openid-connect/auth?");
        assertThat(authz)
                .containsEntry("client_id", WEB_CLIENT)
                .containsEntry("response_type", "code")
                .containsEntry("code_challenge_method", "S256")
                .containsEntry("redirect_uri", server.baseUrl + "/api/v1/sso/oidc/callback")
                .containsKeys("state", "nonce", "code_challenge");
        assertThat(browser.cookie("127.0.0.1", "kh_sso"))
                .as("the login is bound to this browser")
                .isNotNull();
        Browser.Page form = browser.follow(start);
        Browser.Page answer = browser.postForm(
                form.keycloakLoginAction(),
                Map.of("username", Keycloak.ALICE, "password", Keycloak.ALICE_PASSWORD, "credentialId", ""));
        assertThat(query(answer.location())).containsEntry("state", authz.get("state"));

        Browser.Page landing = browser.get(answer.location());

        assertThat(landing.status()).as(landing.body()).isEqualTo(200);
        assertThat(landing.body()).contains("alice@example.test");
        assertThat(browser.cookie("127.0.0.1", "kh_session")).startsWith("kh_us_");
        assertThat(browser.cookie("127.0.0.1", "kh_sso")).as("used up").isNull();
        JsonNode me = me(browser, server);
        assertThat(me.path("user").path("email").asString()).isEqualTo("alice@example.test");
        assertThat(me.path("currentOrganizationId").asString()).isEqualTo(org.id());
        Res members = org.api().get("/api/v2/organizations/" + org.id() + "/memberships");
        assertThat(members.raw())
                .as("a member just in time, with the org's default role")
                .contains("alice@example.test");
        Res logs = org.api().get("/api/v1/organization/audit-logs", "eventType", "user-login");
        assertThat(logs.raw()).contains("\"method\":\"oidc\"");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void theConfigurationNeverReturnsTheClientSecret(Db db) {
        TestServer server = TestServers.shared(db);
        SsoOrgs.Org org = keycloakOrg(server, "oidc-config");

        Res read = org.api().get(SsoOrgs.CONFIG, "organizationId", org.id());
        Res changed = org.api()
                .patch(
                        SsoOrgs.CONFIG,
                        Map.of("organizationId", org.id(), "allowedEmailDomains", "Example.test, a.test"));

        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.body().path("clientId").asString()).isEqualTo(WEB_CLIENT);
        assertThat(read.body().path("discoveryURL").asString())
                .isEqualTo(keycloak().issuer());
        assertThat(read.body().has("clientSecret")).isFalse();
        assertThat(read.raw()).doesNotContain(WEB_SECRET);
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(changed.body().path("allowedEmailDomains").asString()).isEqualTo("example.test,a.test");
        assertThat(changed.raw()).doesNotContain(WEB_SECRET);
        Res twice = SsoOrgs.configure(
                org,
                Map.of(
                        "configurationType",
                        "discoveryURL",
                        "discoveryURL",
                        keycloak().issuer(),
                        "clientId",
                        "x",
                        "clientSecret",
                        "y"));
        assertThat(twice.status()).isEqualTo(409);
        Res noSecret = org.api()
                .post(
                        SsoOrgs.CONFIG,
                        Map.of("organizationId", org.id(), "configurationType", "custom", "clientId", "x"));
        assertThat(noSecret.status()).isIn(400, 409, 422);
        Res member = server.as(new People(server)
                        .token(new People(server).invitedMember(org.admin(), "oidc-member", "member")))
                .get(SsoOrgs.CONFIG, "organizationId", org.id());
        assertThat(member.status()).isEqualTo(403);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aChangedStateAnotherBrowserAndAReplayedAnswerAreRefused(Db db) {
        TestServer server = TestServers.shared(db);
        SsoOrgs.Org org = keycloakOrg(server, "oidc-state");
        SsoOrgs.join(server, org, "alice@example.test");
        Browser browser = new Browser();
        String callback = toCallback(browser, server, org, Keycloak.ALICE).location();

        Browser.Page wrongState = browser.get(withParam(callback, "state", "0".repeat(64)));
        Browser.Page otherBrowser = new Browser().get(callback);
        Browser.Page own = browser.get(callback);
        Browser.Page replayed = browser.get(callback);

        assertThat(wrongState.status()).isEqualTo(400);
        assertThat(wrongState.body()).contains("Unknown or expired sign-in");
        assertThat(otherBrowser.status()).isEqualTo(400);
        assertThat(otherBrowser.body()).contains("another browser");
        assertThat(otherBrowser.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("kh_session="));
        assertThat(own.status())
                .as("refusals above did not use the sign-in up: " + own.body())
                .isEqualTo(200);
        assertThat(replayed.status()).isEqualTo(400);
        assertThat(replayed.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("kh_session="));
        Res logs = org.api().get("/api/v1/organization/audit-logs", "eventType", "sso-login-failed");
        assertThat(logs.raw()).contains("another browser");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anAuthorizationCodeWorksOnce(Db db) {
        TestServer server = TestServers.shared(db);
        SsoOrgs.Org org = keycloakOrg(server, "oidc-code");
        SsoOrgs.join(server, org, "alice@example.test");
        Browser first = new Browser();
        String callback = toCallback(first, server, org, Keycloak.ALICE).location();
        assertThat(first.get(callback).status()).isEqualTo(200);
        String usedCode = query(callback).get("code");

        // a new sign-in in another browser, answered with the code the first one already used
        Browser second = new Browser();
        String fresh = toCallback(second, server, org, Keycloak.ALICE).location();
        Browser.Page replay = second.get(withParam(fresh, "code", usedCode));

        assertThat(replay.status()).as(replay.body()).isEqualTo(400);
        assertThat(replay.body()).contains("did not accept the sign-in code");
        assertThat(second.cookie("127.0.0.1", "kh_session")).isNull();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anUnverifiedEmailNeitherCreatesNorTakesOverAnAccount(Db db) {
        TestServer server = TestServers.shared(db);
        SsoOrgs.Org org = keycloakOrg(server, "oidc-unverified");
        Browser stranger = new Browser();

        Browser.Page refused =
                stranger.get(toCallback(stranger, server, org, "mallory").location());

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("has not verified your e-mail");
        assertThat(stranger.cookie("127.0.0.1", "kh_session")).isNull();
        assertThat(org.api()
                        .get("/api/v2/organizations/" + org.id() + "/memberships")
                        .raw())
                .doesNotContain("mallory@example.test");

        // the address now belongs to a Keyhaven account; the provider still has not verified it
        String email = "mallory@example.test";
        int before = TestMail.to(email).size();
        Res invite = org.api()
                .post("/api/v1/invite-org/signup", Map.of("inviteeEmails", List.of(email), "organizationId", org.id()));
        assertThat(invite.status()).as(invite.toString()).isEqualTo(200);
        String token = TestMail.find(TestMail.await(email, before + 1), "accept-invite\\?token=([0-9a-f]{64})");
        assertThat(server.anonymous()
                        .post("/api/v1/invite-org/accept", Map.of("token", token, "password", People.PASSWORD))
                        .status())
                .isEqualTo(200);
        Browser again = new Browser();

        Browser.Page takeover =
                again.get(toCallback(again, server, org, "mallory").location());

        assertThat(takeover.status()).isEqualTo(403);
        assertThat(again.cookie("127.0.0.1", "kh_session")).isNull();
        assertThat(new People(server).login(email, People.PASSWORD, org.id()).status())
                .as("the owner's password still works")
                .isEqualTo(200);
        Res logs = org.api().get("/api/v1/organization/audit-logs", "eventType", "user-login-failed");
        assertThat(logs.raw()).contains("has not verified the e-mail");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anAddressOutsideTheAllowedDomainsIsRefused(Db db) {
        TestServer server = TestServers.shared(db);
        SsoOrgs.Org org = keycloakOrg(server, "oidc-domains");
        Res patch =
                org.api().patch(SsoOrgs.CONFIG, Map.of("organizationId", org.id(), "allowedEmailDomains", "corp.test"));
        assertThat(patch.status()).isEqualTo(200);
        Browser browser = new Browser();

        Browser.Page page =
                browser.get(toCallback(browser, server, org, Keycloak.ALICE).location());

        assertThat(page.status()).isEqualTo(403);
        assertThat(page.body()).contains("corp.test");
        assertThat(browser.cookie("127.0.0.1", "kh_session")).isNull();
    }
}
