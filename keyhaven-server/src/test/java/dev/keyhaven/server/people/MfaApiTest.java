package dev.keyhaven.server.people;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.crypto.Totp;
import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.People;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestMail;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/** The second factor end to end: TOTP enrolment and login, replay and brute force, recovery and e-mail codes. */
class MfaApiTest {

    @ParameterizedTest
    @EnumSource(Db.class)
    void totpLoginAcceptsACodeOnceAndNormalisesSpaces(Db db) {
        TestServer server = TestServers.shared(db);
        People people = new People(server);
        String email = people.signUp("totp");
        Api session = server.as(people.token(email));
        JsonNode reg = session.post("/api/v1/auth/mfa/totp/register", Map.of()).body();
        String secret = reg.path("secret").asString();
        assertThat(reg.path("otpauthUrl").asString())
                .startsWith("otpauth://totp/Keyhaven:")
                .contains("secret=" + secret);
        assertThat(session.post("/api/v1/auth/mfa/totp/confirm", Map.of("code", "000000"))
                        .status())
                .isEqualTo(400);
        Res confirm = session.post("/api/v1/auth/mfa/totp/confirm", Map.of("code", Totp.code(secret, Instant.now())));
        assertThat(confirm.status()).isEqualTo(200);
        assertThat(confirm.body().path("recoveryCodes").size()).isEqualTo(10);

        Res first = people.login(email, People.PASSWORD);
        assertThat(first.body().path("mfaRequired").asBoolean()).isTrue();
        assertThat(first.body().path("accessToken").isMissingNode())
                .as("no session before the second factor")
                .isTrue();
        String code = People.nextCode(secret);
        String spaced = code.substring(0, 3) + " " + code.substring(3);
        Res ok = server.anonymous()
                .post(
                        "/api/v1/auth/mfa/verify",
                        Map.of("mfaToken", first.body().path("mfaToken").asString(), "code", spaced));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body().path("accessToken").asString()).startsWith("kh_us_");
        assertThat(server.anonymous()
                        .post(
                                "/api/v1/auth/mfa/verify",
                                Map.of("mfaToken", first.body().path("mfaToken").asString(), "code", code))
                        .status())
                .as("an MFA token works once")
                .isEqualTo(401);

        // the same code with a fresh password step is a replay, with or without its space
        Res second = people.login(email, People.PASSWORD);
        Res replay = server.anonymous()
                .post(
                        "/api/v1/auth/mfa/verify",
                        Map.of("mfaToken", second.body().path("mfaToken").asString(), "code", code));
        assertThat(replay.status()).isEqualTo(401);
        Res replaySpaced = server.anonymous()
                .post(
                        "/api/v1/auth/mfa/verify",
                        Map.of("mfaToken", second.body().path("mfaToken").asString(), "code", spaced));
        assertThat(replaySpaced.status()).isEqualTo(401);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void fiveWrongCodesLockTheSecondStepAndRecoveryCodesWorkOnce(Db db) {
        TestServer server = TestServers.shared(db);
        People people = new People(server);
        String email = people.signUp("brute");
        Api session = server.as(people.token(email));
        session.post("/api/v1/auth/mfa/totp/register", Map.of());
        String secret = session.post("/api/v1/auth/mfa/totp/register", Map.of())
                .body()
                .path("secret")
                .asString();
        JsonNode codes = session.post("/api/v1/auth/mfa/totp/confirm", Map.of("code", Totp.code(secret, Instant.now())))
                .body()
                .path("recoveryCodes");
        String recovery = codes.get(0).asString();

        Res withRecovery =
                verify(server, people.login(email, People.PASSWORD), Map.of("recoveryCode", recovery.toUpperCase()));
        assertThat(withRecovery.status())
                .as("recovery codes ignore case and dashes")
                .isEqualTo(200);
        assertThat(verify(server, people.login(email, People.PASSWORD), Map.of("recoveryCode", recovery))
                        .status())
                .as("a recovery code works once")
                .isEqualTo(401);

        String ticket =
                people.login(email, People.PASSWORD).body().path("mfaToken").asString();
        for (int i = 0; i < 4; i++) {
            assertThat(verifyTicket(server, ticket, Map.of("code", String.format("%06d", i)))
                            .status())
                    .isEqualTo(401);
        }
        Res fifth = verify(server, people.login(email, People.PASSWORD), Map.of("code", "999999"));
        assertThat(fifth.status()).isEqualTo(401);
        Res right = verify(server, people.login(email, People.PASSWORD), Map.of("code", People.nextCode(secret)));
        assertThat(right.status())
                .as("after five wrong codes even the right one waits")
                .isEqualTo(401);
        assertThat(right.body().path("message").asString()).contains("Too many wrong codes");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void emailCodesAreASecondFactor(Db db) {
        TestServer server = TestServers.shared(db);
        People people = new People(server);
        String email = people.signUp("emailmfa");
        Api session = server.as(people.token(email));
        assertThat(session.post("/api/v1/auth/mfa/email/start", Map.of()).status())
                .isEqualTo(200);
        String code = TestMail.find(TestMail.await(email, 2), "code is: (\\d{6})");
        assertThat(session.post(
                                "/api/v1/auth/mfa/email/confirm",
                                Map.of("code", "123 456".equals(code) ? "000000" : "000001"))
                        .status())
                .isEqualTo(400);
        assertThat(session.post("/api/v1/auth/mfa/email/confirm", Map.of("code", code))
                        .status())
                .isEqualTo(200);

        Res first = people.login(email, People.PASSWORD);
        assertThat(first.body().path("mfaMethod").asString()).isEqualTo("email");
        String loginCode = TestMail.find(TestMail.await(email, 3), "code is: (\\d{6})");
        assertThat(TestMail.subject(TestMail.await(email, 3))).isEqualTo("Your Keyhaven sign-in code");
        assertThat(verify(server, first, Map.of("code", loginCode)).status()).isEqualTo(200);
    }

    private static Res verify(TestServer server, Res login, Map<String, String> proof) {
        return verifyTicket(server, login.body().path("mfaToken").asString(), proof);
    }

    private static Res verifyTicket(TestServer server, String ticket, Map<String, String> proof) {
        Map<String, Object> body = new java.util.HashMap<>(proof);
        body.put("mfaToken", ticket);
        return server.anonymous().post("/api/v1/auth/mfa/verify", body);
    }
}
