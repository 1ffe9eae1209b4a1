package dev.keyhaven.server.people;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.MinuteWindows;
import dev.keyhaven.server.support.People;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestMail;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Hostile input to people's routes: header injection, look-alike addresses, over-long fields, password spraying. */
class PeopleBadInputTest {
    private static TestServer limited;

    @AfterAll
    static void stop() {
        if (limited != null) {
            limited.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void namesCannotInjectMailHeaders(Db db) {
        TestServer server = TestServers.shared(db);
        String email = Fixtures.unique("inject").toLowerCase() + "@example.com";
        Res r = server.anonymous()
                .post(
                        "/api/v1/auth/signup",
                        Map.of(
                                "email",
                                email,
                                "password",
                                People.PASSWORD,
                                "firstName",
                                "Eve\r\nBcc: victim@example.com"));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.raw()).contains("firstName");
        Res twoAddresses = server.anonymous()
                .post(
                        "/api/v1/auth/signup",
                        Map.of("email", email + "\r\nBcc: victim@example.com", "password", People.PASSWORD));
        assertThat(twoAddresses.status()).isEqualTo(422);
        assertThat(TestMail.to(email)).isEmpty();
        assertThat(TestMail.to("victim@example.com")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void lookAlikeAddressesAreRefusedNotTwinned(Db db) {
        TestServer server = TestServers.shared(db);
        String email = new People(server).signUp("twin");
        String lookAlike = email.replaceFirst("t", "\u0442"); // Cyrillic te
        Res r = server.anonymous().post("/api/v1/auth/signup", Map.of("email", lookAlike, "password", People.PASSWORD));
        assertThat(r.status()).isEqualTo(422);
        assertThat(server.anonymous()
                        .post("/api/v1/auth/login", Map.of("email", lookAlike, "password", People.PASSWORD))
                        .status())
                .isEqualTo(422);
        Res upper = new People(server).login(email.toUpperCase(), People.PASSWORD);
        assertThat(upper.status()).as("case does not make a second account").isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void overLongFieldsAreRefusedAndChangeNothing(Db db) {
        TestServer server = TestServers.shared(db);
        String email = Fixtures.unique("long").toLowerCase() + "@example.com";
        assertThat(server.anonymous()
                        .post(
                                "/api/v1/auth/signup",
                                Map.of("email", "a".repeat(300) + "@example.com", "password", People.PASSWORD))
                        .status())
                .isEqualTo(422);
        assertThat(server.anonymous()
                        .post("/api/v1/auth/signup", Map.of("email", email, "password", "p".repeat(257)))
                        .status())
                .isEqualTo(422);
        assertThat(server.anonymous()
                        .post(
                                "/api/v1/auth/signup",
                                Map.of("email", email, "password", People.PASSWORD, "lastName", "x".repeat(65)))
                        .status())
                .isEqualTo(422);
        assertThat(server.anonymous()
                        .post("/api/v1/auth/login", Map.of("email", email, "password", "p".repeat(100_000)))
                        .status())
                .isEqualTo(401);
        assertThat(TestMail.to(email)).as("nothing was created").isEmpty();
    }

    @Test
    void passwordSprayingAcrossAccountsIsLimitedByAddress() {
        TestServer server = limitedServer();
        People people = new People(server);
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            accounts.add(people.signUp("spray"));
        }
        MinuteWindows.awaitAtLeast(20); // all guesses in one counting window
        int limitedAt = -1;
        for (int i = 0; i < 8 && limitedAt < 0; i++) {
            Res r = people.login(accounts.get(i % 3), "Summer2026!Summer2026!");
            if (r.status() == 429) {
                limitedAt = i;
                assertThat(r.header("Retry-After")).isNotNull();
            } else {
                assertThat(r.status()).isEqualTo(401);
            }
        }
        assertThat(limitedAt).as("the sixth guess from one address is refused").isEqualTo(5);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aLoginFromANewAddressMailsAnAlert(Db db) throws Exception {
        TestServer server = TestServers.shared(db);
        People people = new People(server);
        String email = people.signUp("alert");
        assertThat(people.login(email, People.PASSWORD).status()).isEqualTo(200);
        int before = 1; // only the verification mail: a first login sends no alert (if it did, mail 2 would not name
        // 127.0.0.2)
        String response = loginFrom("127.0.0.2", server, email);
        assertThat(response).startsWith("HTTP/1.1 200");
        assertThat(TestMail.subject(TestMail.await(email, before + 1)))
                .isEqualTo("New sign-in to your Keyhaven account");
        assertThat(TestMail.body(TestMail.await(email, before + 1)))
                .contains("127.0.0.2")
                .doesNotContain(People.PASSWORD);
    }

    /** One login over a socket bound to another loopback address, so the server sees a new client address. */
    private static String loginFrom(String localAddress, TestServer server, String email) throws Exception {
        URI base = URI.create(server.baseUrl);
        String body = "{\"email\":\"" + email + "\",\"password\":\"" + People.PASSWORD + "\"}";
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            s.connect(new InetSocketAddress("127.0.0.1", base.getPort()), 5_000);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            out.write(("POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1:" + base.getPort()
                            + "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " + b.length
                            + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A server with the people login limit on (5 a minute per address), unlike the shared ones. */
    private static synchronized TestServer limitedServer() {
        if (limited == null) {
            List<String> args = new ArrayList<>(List.of(
                    "--keyhaven.users.login-per-ip-per-minute=5",
                    "--keyhaven.users.login-per-account-per-minute=0",
                    "--keyhaven.users.signup-allowed=true"));
            args.addAll(TestMail.serverArgs());
            limited = TestServers.start(Db.SQLITE, null, null, args.toArray(String[]::new));
        }
        return limited;
    }
}
