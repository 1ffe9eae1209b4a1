package dev.keyhaven.server.people;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.People;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestMail;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** People's accounts and sessions end to end, on both databases, with real mail through SMTP. */
class UserSessionApiTest {

    @ParameterizedTest
    @EnumSource(Db.class)
    void signUpVerifiesTheAddressBeforeTheFirstLogin(Db db) {
        TestServer server = TestServers.shared(db);
        People people = new People(server);
        String email = Fixtures.unique("new").toLowerCase() + "@example.com";
        Res signUp = server.anonymous()
                .post("/api/v1/auth/signup", Map.of("email", email, "password", People.PASSWORD, "firstName", "Ada"));
        assertThat(signUp.status()).isEqualTo(200);

        assertThat(people.login(email, People.PASSWORD).status()).isEqualTo(403);
        String token = TestMail.find(TestMail.await(email, 1), "verify-email\\?token=([0-9a-f]{64})");
        assertThat(TestMail.subject(TestMail.await(email, 1))).isEqualTo("Confirm your e-mail address for Keyhaven");
        assertThat(server.anonymous()
                        .post("/api/v1/auth/email/verify", Map.of("token", token))
                        .status())
                .isEqualTo(200);
        assertThat(server.anonymous()
                        .post("/api/v1/auth/email/verify", Map.of("token", token))
                        .status())
                .as("a verification link works once")
                .isEqualTo(400);

        Res login = people.login(email, People.PASSWORD);
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.body().path("accessToken").asString()).startsWith("kh_us_");
        assertThat(login.body().path("refreshToken").asString()).startsWith("kh_rt_");
        Res me = server.as(login.body().path("accessToken").asString()).get("/api/v1/user/me");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.body().path("user").path("email").asString()).isEqualTo(email);
        assertThat(me.body().path("user").path("firstName").asString()).isEqualTo("Ada");
        assertThat(me.raw()).doesNotContain("password").doesNotContain("totp");
        assertThat(server.as(login.body().path("accessToken").asString())
                        .get("/api/v1/workspace")
                        .status())
                .as("no organization yet")
                .isEqualTo(403);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void signUpWithATakenAddressLooksTheSameAndWarnsTheOwner(Db db) {
        TestServer server = TestServers.shared(db);
        String email = new People(server).signUp("taken");
        Res again = server.anonymous()
                .post("/api/v1/auth/signup", Map.of("email", email, "password", "another long password"));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().path("message").asString()).isEqualTo(AccountService.CHECK_MAIL);
        assertThat(TestMail.subject(TestMail.await(email, 2))).contains("tried to sign up");
        assertThat(new People(server).login(email, "another long password").status())
                .as("the second sign-up changed nothing")
                .isEqualTo(401);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void refreshTokensRotateAndAReusedOneEndsTheWholeSession(Db db) {
        TestServer server = TestServers.shared(db);
        People people = new People(server);
        String email = people.signUp("refresh");
        Res login = people.login(email, People.PASSWORD);
        String refresh1 = login.body().path("refreshToken").asString();

        Res r1 = server.anonymous().post("/api/v1/auth/session/refresh", Map.of("refreshToken", refresh1));
        assertThat(r1.status()).isEqualTo(200);
        String access2 = r1.body().path("accessToken").asString();
        String refresh2 = r1.body().path("refreshToken").asString();
        assertThat(refresh2).isNotEqualTo(refresh1);
        assertThat(server.as(access2).get("/api/v1/user/me").status()).isEqualTo(200);
        assertThat(server.as(login.body().path("accessToken").asString())
                        .get("/api/v1/user/me")
                        .status())
                .as("a refresh retires the older access token")
                .isEqualTo(403);

        // the old refresh token shows up again: someone copied it, so the session ends for both
        Res replay = server.anonymous().post("/api/v1/auth/session/refresh", Map.of("refreshToken", refresh1));
        assertThat(replay.status()).isEqualTo(401);
        assertThat(server.as(access2).get("/api/v1/user/me").status()).isEqualTo(403);
        assertThat(server.anonymous()
                        .post("/api/v1/auth/session/refresh", Map.of("refreshToken", refresh2))
                        .status())
                .isEqualTo(401);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void wrongPasswordsLockTheAccountWithTheSameAnswerAsAnUnknownAddress(Db db) {
        TestServer server = TestServers.shared(db);
        People people = new People(server);
        String email = people.signUp("lock");
        Res unknown = people.login("nobody-" + Fixtures.unique("x").toLowerCase() + "@example.com", People.PASSWORD);
        Res wrong = people.login(email, "not the right password");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body().path("message").asString())
                .isEqualTo(unknown.body().path("message").asString());

        for (int i = 0; i < 4; i++) {
            assertThat(people.login(email, "not the right password").status()).isEqualTo(401);
        }
        Res locked = people.login(email, People.PASSWORD);
        assertThat(locked.status())
                .as("locked: even the right password is refused")
                .isEqualTo(401);
        assertThat(locked.body().path("message").asString())
                .isEqualTo(unknown.body().path("message").asString());
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void passwordResetByMailEndsEverySessionAndWorksOnce(Db db) {
        TestServer server = TestServers.shared(db);
        People people = new People(server);
        String email = people.signUp("reset");
        String oldSession = people.token(email);

        Res unknown = server.anonymous()
                .post(
                        "/api/v1/auth/password/reset-request",
                        Map.of("email", "ghost-" + Fixtures.unique("g").toLowerCase() + "@example.com"));
        Res known = server.anonymous().post("/api/v1/auth/password/reset-request", Map.of("email", email));
        assertThat(unknown.status()).isEqualTo(200);
        assertThat(known.status()).isEqualTo(200);
        assertThat(unknown.body().path("message").asString())
                .isEqualTo(known.body().path("message").asString());

        String token = TestMail.find(TestMail.await(email, 2), "reset-password\\?token=([0-9a-f]{64})");
        Res tooShort =
                server.anonymous().post("/api/v1/auth/password/reset", Map.of("token", token, "newPassword", "short"));
        assertThat(tooShort.status()).isEqualTo(422);
        Res reset = server.anonymous()
                .post(
                        "/api/v1/auth/password/reset",
                        Map.of("token", token, "newPassword", "a brand new long password"));
        assertThat(reset.status()).isEqualTo(200);
        assertThat(server.anonymous()
                        .post(
                                "/api/v1/auth/password/reset",
                                Map.of("token", token, "newPassword", "yet another long password"))
                        .status())
                .isEqualTo(400);

        assertThat(server.as(oldSession).get("/api/v1/user/me").status()).isEqualTo(403);
        assertThat(people.login(email, People.PASSWORD).status()).isEqualTo(401);
        assertThat(people.login(email, "a brand new long password").status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void peopleListAndEndTheirOwnSessions(Db db) {
        TestServer server = TestServers.shared(db);
        People people = new People(server);
        String email = people.signUp("sessions");
        Api first = server.as(people.token(email));
        Api second = server.as(people.token(email));

        Res list = first.get("/api/v1/auth/sessions");
        assertThat(list.body().path("sessions").size()).isEqualTo(2);
        String secondId = list.body()
                .path("sessions")
                .valueStream()
                .filter(s -> !s.path("current").asBoolean())
                .findFirst()
                .orElseThrow()
                .path("id")
                .asString();
        assertThat(first.delete("/api/v1/auth/sessions/" + secondId, null).status())
                .isEqualTo(200);
        assertThat(second.get("/api/v1/user/me").status()).isEqualTo(403);

        String otherEmail = people.signUp("stranger");
        Api stranger = server.as(people.token(otherEmail));
        String firstId = first.get("/api/v1/auth/sessions")
                .body()
                .path("sessions")
                .get(0)
                .path("id")
                .asString();
        assertThat(stranger.delete("/api/v1/auth/sessions/" + firstId, null).status())
                .as("nobody ends another person's session")
                .isEqualTo(404);

        assertThat(first.post("/api/v1/auth/logout", Map.of()).status()).isEqualTo(200);
        assertThat(first.get("/api/v1/user/me").status()).isEqualTo(403);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void machineIdentitiesCannotUseAccountRoutes(Db db) {
        TestServer server = TestServers.shared(db);
        assertThat(server.admin().get("/api/v1/user/me").status()).isEqualTo(403);
        assertThat(server.admin()
                        .post("/api/v1/auth/mfa/totp/register", Map.of())
                        .status())
                .isEqualTo(403);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void theBootstrapAdminLogsInWithTheBootstrapPassword(Db db) {
        TestServer server = TestServers.shared(db);
        Res login = new People(server).login(TestServers.ADMIN_EMAIL, TestServers.ADMIN_PASSWORD);
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.body().path("organizationId").asString()).isEqualTo(server.admin.orgId());
        Res projects = server.as(login.body().path("accessToken").asString()).get("/api/v1/workspace");
        assertThat(projects.status()).as(projects.toString()).isIn(200);
        assertThat(List.of(login.raw())).noneMatch(s -> s.contains("passwordHash"));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void expiredTokensAndLongEndedSessionsArePurged(Db db) {
        TestServer server = TestServers.shared(db);
        People people = new People(server);
        String email = people.signUp("purge");
        String live = people.token(email);
        String old = people.token(email);
        org.springframework.jdbc.core.simple.JdbcClient jdbc =
                server.bean(org.springframework.jdbc.core.simple.JdbcClient.class);
        String userId = jdbc.sql("SELECT id FROM users WHERE email = ?")
                .param(email)
                .query(String.class)
                .single();
        String oldSession = jdbc.sql("SELECT id FROM user_sessions WHERE user_id = ? ORDER BY created_at DESC LIMIT 1")
                .param(userId)
                .query(String.class)
                .single();
        long longAgo = System.currentTimeMillis() - 40L * 86_400_000L;
        jdbc.sql("UPDATE user_sessions SET revoked_at = ? WHERE id = ?")
                .params(longAgo, oldSession)
                .update();

        server.bean(SessionCleanup.class).purgeExpired();

        assertThat(jdbc.sql("SELECT COUNT(*) FROM user_sessions WHERE id = ?")
                        .param(oldSession)
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM user_session_tokens WHERE session_id = ?")
                        .param(oldSession)
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(server.as(live).get("/api/v1/user/me").status())
                .as("live sessions stay")
                .isEqualTo(200);
        assertThat(server.as(old).get("/api/v1/user/me").status()).isEqualTo(403);
    }
}
