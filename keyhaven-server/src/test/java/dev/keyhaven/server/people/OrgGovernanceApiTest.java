package dev.keyhaven.server.people;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.crypto.Totp;
import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.People;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestMail;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Organization governance enforced by the server, each in an organization of its own: invitations,
 * deactivation and removal, admin session revocation, enforced MFA, session length, login methods
 * and e-mail domains, and the audit of every settings change.
 */
class OrgGovernanceApiTest {

    @ParameterizedTest
    @EnumSource(Db.class)
    void anInvitationWorksOnceAndBringsItsProjectRole(Db db) {
        TestServer server = TestServers.shared(db);
        People people = new People(server);
        People.OrgAdmin admin = people.orgAdmin("inviter");
        String projectId = admin.api()
                .post("/api/v2/workspace", Map.of("projectName", Fixtures.unique("p")))
                .body()
                .path("project")
                .path("id")
                .asString();
        String email = Fixtures.unique("invitee").toLowerCase() + "@example.com";
        Res invite = admin.api()
                .post(
                        "/api/v1/invite-org/signup",
                        Map.of(
                                "inviteeEmails",
                                List.of(email),
                                "organizationId",
                                admin.orgId(),
                                "projects",
                                List.of(Map.of("id", projectId, "projectRoleSlug", List.of("viewer")))));
        assertThat(invite.status()).as(invite.toString()).isEqualTo(200);
        String token = TestMail.find(TestMail.await(email, 1), "accept-invite\\?token=([0-9a-f]{64})");
        assertThat(TestMail.body(TestMail.await(email, 1))).contains("Org of inviter");

        Res members = admin.api().get("/api/v2/organizations/" + admin.orgId() + "/memberships");
        JsonNode pending = members.body()
                .path("users")
                .valueStream()
                .filter(u -> u.path("user").path("email").asString().equals(email))
                .findFirst()
                .orElseThrow();
        assertThat(pending.path("status").asString()).isEqualTo("invited");
        assertThat(people.login(email, People.PASSWORD).status())
                .as("no password before accepting")
                .isEqualTo(401);

        assertThat(server.anonymous()
                        .post("/api/v1/invite-org/accept", Map.of("token", token))
                        .status())
                .as("a new account needs a password")
                .isEqualTo(422);
        assertThat(server.anonymous()
                        .post("/api/v1/invite-org/accept", Map.of("token", token, "password", People.PASSWORD))
                        .status())
                .isEqualTo(200);
        assertThat(server.anonymous()
                        .post("/api/v1/invite-org/accept", Map.of("token", token, "password", People.PASSWORD))
                        .status())
                .as("an invitation works once")
                .isEqualTo(400);

        Res login = people.login(email, People.PASSWORD);
        assertThat(login.body().path("organizationId").asString()).isEqualTo(admin.orgId());
        Api member = server.as(login.body().path("accessToken").asString());
        Res read = member.get("/api/v3/secrets/raw", "workspaceId", projectId, "environment", "dev");
        assertThat(read.status()).as("the viewer role from the invitation").isEqualTo(200);
        Res write = member.post(
                "/api/v3/secrets/raw/X", Map.of("workspaceId", projectId, "environment", "dev", "secretValue", "v"));
        assertThat(write.status()).isEqualTo(403);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anExpiredInvitationIsRefused(Db db) {
        TestServer server = TestServers.shared(db);
        People people = new People(server);
        People.OrgAdmin admin = people.orgAdmin("expiry");
        String email = Fixtures.unique("late").toLowerCase() + "@example.com";
        admin.api()
                .post(
                        "/api/v1/invite-org/signup",
                        Map.of("inviteeEmails", List.of(email), "organizationId", admin.orgId()));
        String token = TestMail.find(TestMail.await(email, 1), "accept-invite\\?token=([0-9a-f]{64})");
        server.bean(JdbcClient.class)
                .sql("UPDATE user_tokens SET expires_at = ? WHERE purpose = 'invite' AND user_id = "
                        + "(SELECT id FROM users WHERE email = ?)")
                .params(System.currentTimeMillis() - 1, email)
                .update();
        assertThat(server.anonymous()
                        .post("/api/v1/invite-org/accept", Map.of("token", token, "password", People.PASSWORD))
                        .status())
                .isEqualTo(400);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void deactivationAndRemovalEndAccessOnTheNextRequest(Db db) {
        TestServer server = TestServers.shared(db);
        People people = new People(server);
        People.OrgAdmin admin = people.orgAdmin("deactivator");
        String email = people.invitedMember(admin, "worker", "member");
        Api member = server.as(people.token(email));
        assertThat(member.get("/api/v1/workspace").status()).isEqualTo(200);
        String membershipId = membershipId(admin, email);

        assertThat(admin.api()
                        .patch(
                                "/api/v2/organizations/" + admin.orgId() + "/memberships/" + membershipId,
                                Map.of("isActive", false))
                        .status())
                .isEqualTo(200);
        assertThat(member.get("/api/v1/workspace").status()).isEqualTo(403);
        assertThat(admin.api()
                        .patch(
                                "/api/v2/organizations/" + admin.orgId() + "/memberships/" + membershipId,
                                Map.of("isActive", true))
                        .status())
                .isEqualTo(200);
        assertThat(member.get("/api/v1/workspace").status())
                .as("history kept, access back")
                .isEqualTo(200);

        assertThat(member.patch(
                                "/api/v2/organizations/" + admin.orgId() + "/memberships/" + membershipId,
                                Map.of("role", "admin"))
                        .status())
                .as("a member cannot promote itself")
                .isEqualTo(403);
        assertThat(admin.api()
                        .delete("/api/v2/organizations/" + admin.orgId() + "/memberships/" + membershipId, null)
                        .status())
                .isEqualTo(200);
        assertThat(member.get("/api/v1/workspace").status()).isEqualTo(403);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anAdminEndsAMembersSessions(Db db) {
        TestServer server = TestServers.shared(db);
        People people = new People(server);
        People.OrgAdmin admin = people.orgAdmin("revoker");
        String email = people.invitedMember(admin, "laptop-lost", "member");
        Api member = server.as(people.token(email));
        Res r = admin.api()
                .post(
                        "/api/v2/organizations/" + admin.orgId() + "/memberships/" + membershipId(admin, email)
                                + "/revoke-sessions",
                        Map.of());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("count").asInt()).isEqualTo(1);
        assertThat(member.get("/api/v1/user/me").status()).isEqualTo(403);
        assertThat(admin.api().get("/api/v1/user/me").status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void enforcedMfaBlocksEverythingButEnrolment(Db db) {
        TestServer server = TestServers.shared(db);
        People people = new People(server);
        People.OrgAdmin admin = people.orgAdmin("mfa-admin");
        String email = people.invitedMember(admin, "mfa-member", "member");
        Api member = server.as(people.token(email));
        Res set = admin.api().patch("/api/v1/organization/" + admin.orgId(), Map.of("enforceMfa", true));
        assertThat(set.status()).isEqualTo(200);

        Res blocked = member.get("/api/v1/workspace");
        assertThat(blocked.status()).isEqualTo(403);
        assertThat(blocked.body().path("error").asString()).isEqualTo("MfaEnrollmentRequired");
        assertThat(member.get("/api/v1/user/me").status()).isEqualTo(200);
        String secret = member.post("/api/v1/auth/mfa/totp/register", Map.of())
                .body()
                .path("secret")
                .asString();
        assertThat(member.post("/api/v1/auth/mfa/totp/confirm", Map.of("code", Totp.code(secret, Instant.now())))
                        .status())
                .isEqualTo(200);
        assertThat(member.get("/api/v1/workspace").status())
                .as("enrolled in this session")
                .isEqualTo(200);
        assertThat(member.post("/api/v1/auth/mfa/disable", Map.of("code", People.nextCode(secret)))
                        .status())
                .as("the organization requires it")
                .isEqualTo(403);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void sessionsOlderThanTheOrganizationAllowsEnd(Db db) {
        TestServer server = TestServers.shared(db);
        People people = new People(server);
        People.OrgAdmin admin = people.orgAdmin("length");
        String email = people.invitedMember(admin, "long-session", "member");
        Api member = server.as(people.token(email));
        assertThat(admin.api()
                        .patch("/api/v1/organization/" + admin.orgId(), Map.of("userTokenExpiration", "8h"))
                        .status())
                .isEqualTo(200);
        assertThat(member.get("/api/v1/workspace").status()).isEqualTo(200);
        // the member's session began nine hours ago
        server.bean(JdbcClient.class)
                .sql("UPDATE user_sessions SET created_at = ? WHERE user_id = (SELECT id FROM users WHERE email = ?)")
                .params(System.currentTimeMillis() - 9 * 3_600_000L, email)
                .update();
        assertThat(member.get("/api/v1/workspace").status()).isEqualTo(403);
        assertThat(admin.api()
                        .patch("/api/v1/organization/" + admin.orgId(), Map.of("userTokenExpiration", "8 hours"))
                        .status())
                .isEqualTo(422);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void loginMethodsAndEmailDomainsAreEnforcedAndAudited(Db db) {
        TestServer server = TestServers.shared(db);
        People people = new People(server);
        People.OrgAdmin admin = people.orgAdmin("domains");
        String email = people.invitedMember(admin, "outsider", "member", "outside.example");
        Api member = server.as(people.token(email));

        assertThat(admin.api()
                        .patch(
                                "/api/v1/organization/" + admin.orgId(),
                                Map.of("allowedEmailDomains", List.of("exаmple.com")))
                        .status())
                .as("a look-alike domain")
                .isEqualTo(422);
        assertThat(admin.api()
                        .patch("/api/v1/organization/" + admin.orgId(), Map.of("allowedLoginMethods", List.of("oidc")))
                        .status())
                .as("an admin cannot lock itself out")
                .isEqualTo(400);
        assertThat(admin.api()
                        .patch(
                                "/api/v1/organization/" + admin.orgId(),
                                Map.of("allowedLoginMethods", List.of("kerberos")))
                        .status())
                .isEqualTo(422);

        assertThat(admin.api()
                        .patch(
                                "/api/v1/organization/" + admin.orgId(),
                                Map.of("allowedEmailDomains", List.of("corp.example")))
                        .status())
                .as("the admin's own domain must stay")
                .isEqualTo(400);
        Res set = admin.api()
                .patch("/api/v1/organization/" + admin.orgId(), Map.of("allowedEmailDomains", List.of("example.com")));
        assertThat(set.status()).isEqualTo(200);
        assertThat(member.get("/api/v1/workspace").status()).isEqualTo(403);
        Res invite = admin.api()
                .post(
                        "/api/v1/invite-org/signup",
                        Map.of("inviteeEmails", List.of("x@other.example"), "organizationId", admin.orgId()));
        assertThat(invite.status()).isEqualTo(422);

        Res audit = admin.api().get("/api/v1/organization/audit-logs", "eventType", "update-org-settings");
        JsonNode change = audit.body().path("auditLogs").get(0).path("event").path("metadata");
        assertThat(change.path("before").path("allowedEmailDomains").size()).isZero();
        assertThat(change.path("after").path("allowedEmailDomains").get(0).asString())
                .isEqualTo("example.com");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aPersonWorksInSeveralOrganizations(Db db) {
        TestServer server = TestServers.shared(db);
        People people = new People(server);
        People.OrgAdmin first = people.orgAdmin("first-org");
        Res second = first.api().post("/api/v2/organizations", Map.of("name", "Second"));
        String secondId = second.body().path("organization").path("id").asString();
        JsonNode me = first.api().get("/api/v1/user/me").body();
        assertThat(me.path("organizations").size()).isEqualTo(2);
        assertThat(me.path("currentOrganizationId").asString()).isEqualTo(first.orgId());
        assertThat(first.api()
                        .post("/api/v1/auth/select-organization", Map.of("organizationId", secondId))
                        .status())
                .isEqualTo(200);
        assertThat(first.api()
                        .get("/api/v1/user/me")
                        .body()
                        .path("currentOrganizationId")
                        .asString())
                .isEqualTo(secondId);
        assertThat(first.api()
                        .post("/api/v1/auth/select-organization", Map.of("organizationId", server.admin.orgId()))
                        .status())
                .as("not a member there")
                .isEqualTo(403);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void membersJoinAndLeaveProjectsByEmail(Db db) {
        TestServer server = TestServers.shared(db);
        People people = new People(server);
        People.OrgAdmin admin = people.orgAdmin("project-admin");
        String projectId = admin.api()
                .post("/api/v2/workspace", Map.of("projectName", Fixtures.unique("p")))
                .body()
                .path("project")
                .path("id")
                .asString();
        String email = people.invitedMember(admin, "project-member", "member");
        Api member = server.as(people.token(email));
        String base = "/api/v2/workspace/" + projectId + "/memberships";
        assertThat(member.get("/api/v3/secrets/raw", "workspaceId", projectId, "environment", "dev")
                        .status())
                .isEqualTo(403);

        Res added =
                admin.api().post(base, Map.of("emails", List.of(email.toUpperCase()), "roleSlugs", List.of("viewer")));
        assertThat(added.status()).as(added.toString()).isEqualTo(200);
        assertThat(added.body().path("memberships").get(0).path("projectId").asString())
                .isEqualTo(projectId);
        assertThat(member.get("/api/v3/secrets/raw", "workspaceId", projectId, "environment", "dev")
                        .status())
                .isEqualTo(200);
        assertThat(admin.api().post(base, Map.of("emails", List.of(email))).status())
                .as("already a member")
                .isEqualTo(400);
        JsonNode listed = admin.api().get(base).body().path("memberships");
        assertThat(listed.valueStream().map(m -> m.path("user").path("email").asString()))
                .contains(email);
        assertThat(admin.api()
                        .post(base, Map.of("emails", List.of("stranger@example.com")))
                        .status())
                .isEqualTo(400);
        assertThat(member.post(base, Map.of("emails", List.of(email), "roleSlugs", List.of("admin")))
                        .status())
                .as("a viewer adds nobody")
                .isEqualTo(403);

        assertThat(admin.api().delete(base, Map.of("emails", List.of(email))).status())
                .isEqualTo(200);
        assertThat(member.get("/api/v3/secrets/raw", "workspaceId", projectId, "environment", "dev")
                        .status())
                .isEqualTo(403);
    }

    private static String membershipId(People.OrgAdmin admin, String email) {
        return admin.api()
                .get("/api/v2/organizations/" + admin.orgId() + "/memberships")
                .body()
                .path("users")
                .valueStream()
                .filter(u -> u.path("user").path("email").asString().equals(email))
                .findFirst()
                .orElseThrow()
                .path("id")
                .asString();
    }
}
