package dev.keyhaven.server.people;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.People;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Browser sessions: HttpOnly, Secure, SameSite cookies, and CSRF protection for cookie-authenticated changes. */
class BrowserSessionApiTest {

    @ParameterizedTest
    @EnumSource(Db.class)
    void cookieSessionsNeedTheCsrfTokenAndTheirOwnOrigin(Db db) {
        TestServer server = TestServers.shared(db);
        People people = new People(server);
        String email = people.signUp("browser");
        Res login = server.anonymous()
                .post("/api/v1/auth/login", Map.of("email", email, "password", People.PASSWORD, "useCookies", true));
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.body().path("accessToken").isMissingNode())
                .as("no token in the body for a browser")
                .isTrue();
        List<String> setCookies = login.headers().allValues("Set-Cookie");
        String session = cookie(setCookies, "kh_session");
        assertThat(setCookies)
                .anySatisfy(c -> assertThat(c)
                        .startsWith("kh_session=")
                        .contains("HttpOnly")
                        .contains("Secure")
                        .contains("SameSite=Strict"));
        assertThat(setCookies)
                .anySatisfy(c -> assertThat(c)
                        .startsWith("kh_refresh=")
                        .contains("HttpOnly")
                        .contains("Path=/api/v1/auth/session"));
        String csrf = login.body().path("csrfToken").asString();
        assertThat(cookie(setCookies, "kh_csrf")).isEqualTo(csrf);
        String cookieHeader = "kh_session=" + session;

        Res read = server.anonymous().send("GET", "/api/v1/user/me", null, Map.of("Cookie", cookieHeader));
        assertThat(read.status()).as("reads need no CSRF token").isEqualTo(200);

        Map<String, Object> body = Map.of("currentPassword", People.PASSWORD, "newPassword", "a changed long password");
        Res noCsrf =
                server.anonymous().send("POST", "/api/v1/auth/password/change", body, Map.of("Cookie", cookieHeader));
        assertThat(noCsrf.status()).isEqualTo(403);
        assertThat(noCsrf.body().path("error").asString()).isEqualTo("CsrfError");
        Res wrongCsrf = server.anonymous()
                .send(
                        "POST",
                        "/api/v1/auth/password/change",
                        body,
                        Map.of("Cookie", cookieHeader, "X-CSRF-Token", "0".repeat(64)));
        assertThat(wrongCsrf.status()).isEqualTo(403);
        Map<String, String> stolen =
                new HashMap<>(Map.of("Cookie", cookieHeader, "X-CSRF-Token", csrf, "Origin", "https://evil.example"));
        Res crossSite = server.anonymous().send("POST", "/api/v1/auth/password/change", body, stolen);
        assertThat(crossSite.status()).as("a stolen cookie from another origin").isEqualTo(403);
        assertThat(people.login(email, People.PASSWORD).status())
                .as("nothing changed")
                .isEqualTo(200);

        Res ok = server.anonymous()
                .send(
                        "POST",
                        "/api/v1/auth/password/change",
                        body,
                        Map.of("Cookie", cookieHeader, "X-CSRF-Token", csrf, "Origin", server.baseUrl));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aFormBodyOnACookieSessionStillNeedsTheCsrfCheck(Db db) {
        TestServer server = TestServers.shared(db);
        People people = new People(server);
        String email = people.signUp("form-csrf");
        Res login = server.anonymous()
                .post("/api/v1/auth/login", Map.of("email", email, "password", People.PASSWORD, "useCookies", true));
        String cookieHeader = "kh_session=" + cookie(login.headers().allValues("Set-Cookie"), "kh_session");
        String csrf = login.body().path("csrfToken").asString();
        String form = "currentPassword=" + People.PASSWORD.replace(' ', '+') + "&newPassword=a+changed+long+password";
        String type = "application/x-www-form-urlencoded";

        // what another site's <form method=post> sends: the cookie, its own Origin, no CSRF header
        Res crossSite = server.anonymous()
                .send(
                        "POST",
                        "/api/v1/auth/password/change",
                        form,
                        Map.of("Cookie", cookieHeader, "Origin", "https://evil.example", "Content-Type", type));
        Res noCsrf = server.anonymous()
                .send(
                        "POST",
                        "/api/v1/auth/password/change",
                        form,
                        Map.of("Cookie", cookieHeader, "Content-Type", type));

        assertThat(crossSite.status()).as(crossSite.toString()).isEqualTo(403);
        assertThat(crossSite.body().path("error").asString()).isEqualTo("CsrfError");
        assertThat(noCsrf.status()).as(noCsrf.toString()).isEqualTo(403);
        assertThat(people.login(email, People.PASSWORD).status())
                .as("nothing changed")
                .isEqualTo(200);
        Res ok = server.anonymous()
                .send(
                        "POST",
                        "/api/v1/auth/password/change",
                        form,
                        Map.of(
                                "Cookie",
                                cookieHeader,
                                "X-CSRF-Token",
                                csrf,
                                "Origin",
                                server.baseUrl,
                                "Content-Type",
                                type));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aBrowserRefreshesWithItsCookieAndCsrfToken(Db db) {
        TestServer server = TestServers.shared(db);
        People people = new People(server);
        String email = people.signUp("browser-refresh");
        Res login = server.anonymous()
                .post("/api/v1/auth/login", Map.of("email", email, "password", People.PASSWORD, "useCookies", true));
        String refresh = cookie(login.headers().allValues("Set-Cookie"), "kh_refresh");
        String csrf = login.body().path("csrfToken").asString();
        assertThat(server.anonymous()
                        .send("POST", "/api/v1/auth/session/refresh", null, Map.of("Cookie", "kh_refresh=" + refresh))
                        .status())
                .isEqualTo(403);
        Res refreshed = server.anonymous()
                .send(
                        "POST",
                        "/api/v1/auth/session/refresh",
                        null,
                        Map.of("Cookie", "kh_refresh=" + refresh, "X-CSRF-Token", csrf));
        assertThat(refreshed.status()).isEqualTo(200);
        String newSession = cookie(refreshed.headers().allValues("Set-Cookie"), "kh_session");
        assertThat(server.anonymous()
                        .send("GET", "/api/v1/user/me", null, Map.of("Cookie", "kh_session=" + newSession))
                        .status())
                .isEqualTo(200);
    }

    private static String cookie(List<String> setCookies, String name) {
        return setCookies.stream()
                .filter(c -> c.startsWith(name + "="))
                .map(c -> c.substring(name.length() + 1, c.indexOf(';')))
                .collect(Collectors.joining());
    }
}
