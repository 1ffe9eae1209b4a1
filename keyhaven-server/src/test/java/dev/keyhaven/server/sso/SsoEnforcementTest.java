package dev.keyhaven.server.sso;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Browser;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.People;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestMail;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An organization that enforces single sign-on (password dropped from its login methods): its
 * members' password logins and password sessions are refused, an admin can still get in through
 * the break-glass path, which is audited and e-mailed to the other admins, and nobody else can.
 */
class SsoEnforcementTest {
    private static StandInProvider idp;

    @BeforeAll
    static void start() {
        idp = new StandInProvider();
    }

    @AfterAll
    static void stop() {
        idp.close();
    }

    /** An SSO sign-in of {@code email} through the stand-in provider; returns the session's access token. */
    private static String ssoSession(TestServer server, SsoOrgs.Org org, String email) {
        Browser browser = new Browser();
        Browser.Page start = browser.get(SsoOrgs.loginUrl(server, org));
        Map<String, String> q = new HashMap<>();
        for (String kv : URI.create(start.location()).getRawQuery().split("&")) {
            int eq = kv.indexOf('=');
            q.put(kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
        idp.authorizationRequest(q);
        idp.nextToken(b -> b.claim("email", email), false);
        Browser.Page page = browser.get(q.get("redirect_uri") + "?state="
                + URLEncoder.encode(q.get("state"), StandardCharsets.UTF_8) + "&code=" + StandInProvider.CODE);
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        return browser.cookie("127.0.0.1", "kh_session");
    }

    private static Res breakGlass(TestServer server, String email, String orgId, String reason) {
        return server.anonymous()
                .post(
                        "/api/v1/auth/login",
                        Map.of(
                                "email", email,
                                "password", People.PASSWORD,
                                "organizationId", orgId,
                                "breakGlassReason", reason));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anOrgThatEnforcesSsoRefusesPasswordsExceptAnAdminsAuditedBreakGlass(Db db) {
        TestServer server = TestServers.shared(db);
        People people = new People(server);
        SsoOrgs.Org org = SsoOrgs.newOrg(server, "enforce");
        assertThat(SsoOrgs.configure(org, idp.configuration()).status()).isEqualTo(200);
        String member = people.invitedMember(org.admin(), "enforce-member", "member");
        String otherAdmin = people.invitedMember(org.admin(), "enforce-admin", "admin");
        String memberPasswordSession = people.login(member, People.PASSWORD, org.id())
                .body()
                .path("accessToken")
                .asString();

        Res lockout =
                org.api().patch("/api/v1/organization/" + org.id(), Map.of("allowedLoginMethods", List.of("oidc")));
        assertThat(lockout.status())
                .as("a password session cannot drop password")
                .isEqualTo(400);
        String adminSso = ssoSession(server, org, org.admin().email());
        Res enforce = server.as(adminSso)
                .patch("/api/v1/organization/" + org.id(), Map.of("allowedLoginMethods", List.of("oidc")));
        assertThat(enforce.status()).as(enforce.toString()).isEqualTo(200);
        assertThat(enforce.body().path("organization").path("authEnforced").asBoolean())
                .isTrue();

        assertThat(people.login(member, People.PASSWORD, org.id()).status()).isEqualTo(403);
        assertThat(server.as(memberPasswordSession).get("/api/v1/user/me").status())
                .as("the member's password session ends on its next request")
                .isIn(401, 403);
        assertThat(server.as(ssoSession(server, org, member))
                        .get("/api/v1/user/me")
                        .status())
                .as("single sign-on still works")
                .isEqualTo(200);
        Res notAdmin = breakGlass(server, member, org.id(), "the IdP is down");
        assertThat(notAdmin.status()).isEqualTo(403);
        assertThat(notAdmin.raw()).contains("Only an admin");

        int mailsBefore = TestMail.to(org.admin().email()).size();
        Res glass = breakGlass(server, otherAdmin, org.id(), "IdP outage, ticket OPS-42");

        assertThat(glass.status()).as(glass.toString()).isEqualTo(200);
        assertThat(glass.body().path("expiresIn").asLong()).isPositive();
        String glassToken = glass.body().path("accessToken").asString();
        assertThat(server.as(glassToken).get("/api/v1/user/me").status()).isEqualTo(200);
        var alert = TestMail.await(org.admin().email(), mailsBefore + 1);
        assertThat(TestMail.subject(alert)).contains("Break-glass");
        assertThat(TestMail.body(alert)).contains(otherAdmin).contains("OPS-42");
        Res logs = server.as(adminSso).get("/api/v1/organization/audit-logs", "eventType", "break-glass-login");
        assertThat(logs.raw()).contains("OPS-42").contains("\"adminsNotified\":1");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void breakGlassIsRefusedWhereSsoIsNotEnforced(Db db) {
        TestServer server = TestServers.shared(db);
        SsoOrgs.Org org = SsoOrgs.newOrg(server, "no-enforce");

        Res glass = breakGlass(server, org.admin().email(), org.id(), "just because");

        assertThat(glass.status()).isEqualTo(400);
        assertThat(glass.raw()).contains("admits password login");
    }
}
