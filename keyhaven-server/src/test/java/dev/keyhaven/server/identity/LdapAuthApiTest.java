package dev.keyhaven.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSimpleBindRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.util.ssl.KeyStoreKeyManager;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustAllTrustManager;
import com.unboundid.util.ssl.cert.ManageCertificates;
import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServers;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * LDAP auth end to end against a real directory: UnboundID's in-memory directory server on
 * loopback (allowed for the shared test servers by {@code keyhaven.outbound-allowlist}), with a
 * plain listener that offers StartTLS and an LDAPS listener, both with a self-signed certificate
 * made for {@code localhost} in this class. An interceptor records every bind and search the
 * directory receives, so the tests can show what was (not) sent.
 */
class LdapAuthApiTest {
    static final String LDAP = "/api/v1/auth/ldap-auth/identities/";
    static final String LOGIN = "/api/v1/auth/ldap-auth/login";
    static final String BASE = "dc=example,dc=com";
    static final String SERVICE_DN = "cn=keyhaven-reader,ou=services," + BASE;
    static final String SERVICE_PASSWORD = "service-account-Pa55";
    static final String ALICE = "uid=alice,ou=people," + BASE;
    static final String ALICE_PASSWORD = "alice-Secret-1";
    static final String BOB_PASSWORD = "bob-Secret-2";
    static final String DEPLOYERS = "cn=deployers,ou=groups," + BASE;

    private static InMemoryDirectoryServer directory;
    private static String caPem;
    private static final Queue<String> BINDS = new ConcurrentLinkedQueue<>();
    private static final Queue<String> FILTERS = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void startDirectory() throws Exception {
        Path dir = Files.createTempDirectory("keyhaven-ldap-test-");
        Path keystore = dir.resolve("server.p12");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ResultCode generated = ManageCertificates.main(
                null,
                out,
                out,
                "generate-self-signed-certificate",
                "--keystore",
                keystore.toString(),
                "--keystore-password",
                "changeit",
                "--keystore-type",
                "PKCS12",
                "--alias",
                "server",
                "--subject-dn",
                "CN=localhost",
                "--subject-alternative-name-dns",
                "localhost",
                "--days-valid",
                "2",
                "--key-algorithm",
                "EC",
                "--key-size-bits",
                "256",
                "--signature-algorithm",
                "SHA256withECDSA");
        assertThat(generated).as(out.toString(StandardCharsets.UTF_8)).isEqualTo(ResultCode.SUCCESS);
        caPem = certificatePem(keystore, "changeit".toCharArray());
        SSLUtil serverTls = new SSLUtil(
                new KeyStoreKeyManager(keystore.toFile(), "changeit".toCharArray(), "PKCS12", "server"),
                new TrustAllTrustManager());

        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
        config.setSchema(null); // memberOf and other operational attributes set by hand
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        config.setListenerConfigs(
                InMemoryListenerConfig.createLDAPConfig("ldap", loopback, 0, serverTls.createSSLSocketFactory()),
                InMemoryListenerConfig.createLDAPSConfig(
                        "ldaps", loopback, 0, serverTls.createSSLServerSocketFactory(), null));
        config.addInMemoryOperationInterceptor(new InMemoryOperationInterceptor() {
            @Override
            public void processSimpleBindRequest(InMemoryInterceptedSimpleBindRequest request) {
                BINDS.add(request.getRequest().getBindDN());
            }

            @Override
            public void processSearchRequest(InMemoryInterceptedSearchRequest request) {
                FILTERS.add(request.getRequest().getFilter().toString());
            }
        });
        directory = new InMemoryDirectoryServer(config);
        directory.add("dn: " + BASE, "objectClass: domain", "dc: example");
        for (String ou : List.of("people", "services", "groups")) {
            directory.add("dn: ou=" + ou + "," + BASE, "objectClass: organizationalUnit", "ou: " + ou);
        }
        directory.add(
                "dn: " + SERVICE_DN,
                "objectClass: person",
                "cn: keyhaven-reader",
                "sn: reader",
                "userPassword: " + SERVICE_PASSWORD);
        directory.add(
                "dn: " + ALICE,
                "objectClass: inetOrgPerson",
                "uid: alice",
                "cn: Alice",
                "sn: A",
                "mail: alice@example.com",
                "employeeType: staff",
                "memberOf: " + DEPLOYERS,
                "userPassword: " + ALICE_PASSWORD);
        directory.add(
                "dn: uid=bob,ou=people," + BASE,
                "objectClass: inetOrgPerson",
                "uid: bob",
                "cn: Bob",
                "sn: B",
                "mail: bob@example.com",
                "employeeType: contractor",
                "userPassword: " + BOB_PASSWORD);
        directory.add(
                "dn: uid=ci-bot,ou=services," + BASE,
                "objectClass: inetOrgPerson",
                "uid: ci-bot",
                "cn: CI",
                "sn: bot",
                "userPassword: ci-bot-Secret-3");
        directory.add("dn: " + DEPLOYERS, "objectClass: groupOfNames", "cn: deployers", "member: " + ALICE);
        directory.add(
                "dn: cn=ci,ou=groups," + BASE,
                "objectClass: posixGroup",
                "cn: ci",
                "gidNumber: 1000",
                "memberUid: ci-bot");
        directory.startListening();
    }

    @AfterAll
    static void stopDirectory() {
        directory.shutDown(true);
    }

    private static String certificatePem(Path keystore, char[] password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keystore.toFile())) {
            ks.load(in, password);
        }
        byte[] der = ks.getCertificate("server").getEncoded();
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der) + "\n-----END CERTIFICATE-----\n";
    }

    private static String ldapUrl(String host) {
        return "ldap://" + host + ":" + directory.getListenPort("ldap");
    }

    private static String ldapsUrl(String host) {
        return "ldaps://" + host + ":" + directory.getListenPort("ldaps");
    }

    private static MachineIdentities ids(Db db) {
        return new MachineIdentities(TestServers.shared(db));
    }

    private static Api admin(Db db) {
        return TestServers.shared(db).admin();
    }

    private static Map<String, Object> settings() {
        Map<String, Object> m = new HashMap<>();
        m.put("url", ldapUrl("127.0.0.1"));
        m.put("bindDN", SERVICE_DN);
        m.put("bindPass", SERVICE_PASSWORD);
        m.put("searchBase", BASE);
        m.put("searchFilter", "(&(objectClass=inetOrgPerson)(uid={{username}}))");
        return m;
    }

    private static String attach(Db db, Map<String, Object> settings) {
        String id = ids(db).create("member");
        Res res = admin(db).post(LDAP + id, settings);
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return id;
    }

    private static Res login(Db db, String identityId, String username, String password) {
        Map<String, Object> body = new HashMap<>();
        body.put("identityId", identityId);
        body.put("username", username);
        body.put("password", password);
        return TestServers.shared(db).anonymous().post(LOGIN, body);
    }

    private static List<JsonNode> audit(Db db, String identityId, String since) {
        Res res = admin(db)
                .get("/api/v1/organization/audit-logs", "startDate", since, "limit", 1000, "actor", identityId);
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return res.body().path("auditLogs").valueStream().toList();
    }

    private static List<String> failureReasons(Db db, String identityId, String since) {
        return audit(db, identityId, since).stream()
                .filter(r -> r.path("event").path("type").asString().equals("login-identity-ldap-auth-failed"))
                .map(r -> r.path("event").path("metadata").path("reason").asString())
                .toList();
    }

    private static String since() {
        return Instant.now().minusSeconds(5).toString();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aDirectoryUserLogsInAndTheConfigurationReadsBackWithoutTheBindPassword(Db db) {
        String since = since();
        String id = attach(db, settings());

        Res config = admin(db).get(LDAP + id);
        JsonNode c = config.body().path("identityLdapAuth");
        assertThat(c.path("url").asString()).isEqualTo(ldapUrl("127.0.0.1"));
        assertThat(c.path("bindDN").asString()).isEqualTo(SERVICE_DN);
        assertThat(c.has("bindPass")).isFalse();
        assertThat(config.raw()).doesNotContain(SERVICE_PASSWORD);
        assertThat(c.path("accessTokenTTL").asLong()).isEqualTo(2592000L);
        assertThat(c.path("lockoutEnabled").asBoolean()).isTrue();
        String row = TestServers.shared(db)
                .bean(JdbcClient.class)
                .sql("SELECT * FROM identity_ldap_auths WHERE identity_id = ?")
                .param(id)
                .query()
                .listOfRows()
                .toString();
        assertThat(row).as("sealed at rest").doesNotContain(SERVICE_PASSWORD).doesNotContain(SERVICE_DN);

        Res res = login(db, id, "alice", ALICE_PASSWORD);

        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        assertThat(res.body().path("expiresIn").asLong()).isEqualTo(2592000L);
        assertThat(res.body().path("tokenType").asString()).isEqualTo("Bearer");
        assertThat(ids(db).probe(res.body().path("accessToken").asString(), id).status())
                .isEqualTo(200);
        List<JsonNode> rows = audit(db, id, since);
        JsonNode ok = rows.stream()
                .filter(r -> r.path("event").path("type").asString().equals("login-identity-ldap-auth"))
                .findFirst()
                .orElseThrow();
        assertThat(ok.path("event").path("metadata").path("ldapDn").asString()).isEqualTo(ALICE);
        assertThat(admin(db)
                        .get("/api/v1/organization/audit-logs", "startDate", since, "limit", 1000, "actor", id)
                        .raw())
                .doesNotContain(ALICE_PASSWORD)
                .doesNotContain(SERVICE_PASSWORD);
        assertThat(admin(db)
                        .get("/api/v1/identities/" + id)
                        .body()
                        .path("identity")
                        .path("authMethods")
                        .valueStream()
                        .map(JsonNode::asString))
                .contains("ldap-auth");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aWrongPasswordAndAnUnknownUserGetTheSameAnswer(Db db) {
        String since = since();
        String id = attach(db, settings());

        Res wrong = login(db, id, "alice", "not-her-password");
        int bindsBefore = BINDS.size();
        Res unknown = login(db, id, "mallory", "whatever-Pa55");

        assertThat(wrong.status()).isEqualTo(401);
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.body().path("message").asString())
                .isEqualTo(wrong.body().path("message").asString())
                .isEqualTo("Invalid credentials");
        assertThat(unknown.body().path("error").asString())
                .isEqualTo(wrong.body().path("error").asString());
        assertThat(BINDS.size() - bindsBefore)
                .as("service account + a timing bind, as for a known user")
                .isEqualTo(2);
        assertThat(failureReasons(db, id, since))
                .containsExactlyInAnyOrder("bind as " + ALICE + " refused (invalid credentials)", "user not found");
        String raw = admin(db)
                .get("/api/v1/organization/audit-logs", "startDate", since, "limit", 1000, "actor", id)
                .raw();
        assertThat(raw).doesNotContain("not-her-password").doesNotContain("whatever-Pa55");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anEmptyPasswordIsRefusedBeforeAnyBind(Db db) {
        // Active Directory and other servers treat a simple bind with a DN and no password as an
        // unauthenticated bind that succeeds; UnboundID's server refuses it, so what is checked here
        // is that no bind at all reaches the directory
        String id = attach(db, settings());
        int bindsBefore = BINDS.size();

        for (String empty : new String[] {"", "   "}) {
            Res res = login(db, id, "alice", empty);
            assertThat(res.status()).as(res.toString()).isEqualTo(422);
            assertThat(res.raw()).contains("password");
        }
        Map<String, Object> noPassword = new HashMap<>(Map.of("identityId", id, "username", "alice"));
        assertThat(TestServers.shared(db).anonymous().post(LOGIN, noPassword).status())
                .isEqualTo(422);

        assertThat(BINDS.size()).as("no bind reached the directory").isEqualTo(bindsBefore);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void filterSyntaxInTheUsernameIsALiteralAndMatchesNoOne(Db db) {
        String since = since();
        String id = attach(db, settings());
        List<String> attacks = List.of(
                "*", "al*", "*)(uid=*", "alice)(|(uid=*", "*)(|(objectClass=*", "alice)", "alice\\", "alice\u0000");

        for (String username : attacks) {
            // alice's real password: a wildcard that reached the filter unescaped would log in as her
            Res res = login(db, id, username, ALICE_PASSWORD);
            assertThat(res.status()).as(username + " -> " + res).isEqualTo(401);
        }

        assertThat(FILTERS)
                .contains(
                        "(&(objectClass=inetOrgPerson)(uid=\\2a))",
                        "(&(objectClass=inetOrgPerson)(uid=al\\2a))",
                        "(&(objectClass=inetOrgPerson)(uid=\\2a\\29\\28uid=\\2a))");
        assertThat(failureReasons(db, id, since)).hasSize(attacks.size()).containsOnly("user not found");
        assertThat(login(db, id, "alice", ALICE_PASSWORD).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void usersOutsideTheAllowedGroupsAreRefused(Db db) {
        String since = since();
        Map<String, Object> s = settings();
        s.put("searchFilter", "(uid={{username}})");
        s.put("allowedGroups", List.of(DEPLOYERS, "cn=ci,ou=groups," + BASE));
        String id = attach(db, s);

        assertThat(login(db, id, "alice", ALICE_PASSWORD).status())
                .as("member of deployers")
                .isEqualTo(200);
        assertThat(login(db, id, "ci-bot", "ci-bot-Secret-3").status())
                .as("memberUid of the posix group ci")
                .isEqualTo(200);
        Res bob = login(db, id, "bob", BOB_PASSWORD);

        assertThat(bob.status()).isEqualTo(401);
        assertThat(bob.body().path("message").asString()).isEqualTo("Invalid credentials");
        assertThat(failureReasons(db, id, since))
                .containsExactly("user uid=bob,ou=people," + BASE + " is not a member of allowedGroups");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void usersOutsideTheAllowedDnPatternsOrFieldsAreRefused(Db db) {
        String since = since();
        Map<String, Object> s = settings();
        s.put("searchFilter", "(uid={{username}})");
        s.put("allowedDnPatterns", List.of("uid=ci-*,ou=services," + BASE, "UID=alice,OU=People," + BASE));
        String id = attach(db, s);

        assertThat(login(db, id, "ci-bot", "ci-bot-Secret-3").status()).isEqualTo(200);
        assertThat(login(db, id, "alice", ALICE_PASSWORD).status())
                .as("DNs compare without case")
                .isEqualTo(200);
        assertThat(login(db, id, "bob", BOB_PASSWORD).status()).isEqualTo(401);

        Res patched = admin(db)
                .patch(
                        LDAP + id,
                        Map.of(
                                "allowedDnPatterns",
                                List.of(),
                                "allowedFields",
                                List.of(
                                        Map.of("key", "employeeType", "value", "staff, admin"),
                                        Map.of("key", "memberOf", "value", DEPLOYERS))));
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.body().path("identityLdapAuth").path("allowedFields").size())
                .isEqualTo(2);

        assertThat(login(db, id, "alice", ALICE_PASSWORD).status()).isEqualTo(200);
        assertThat(login(db, id, "bob", BOB_PASSWORD).status()).isEqualTo(401);
        assertThat(login(db, id, "ci-bot", "ci-bot-Secret-3").status()).isEqualTo(401);
        assertThat(failureReasons(db, id, since))
                .containsExactlyInAnyOrder(
                        "user DN uid=bob,ou=people," + BASE + " does not match allowedDnPatterns",
                        "attribute employeeType of user uid=bob,ou=people," + BASE + " does not match allowedFields",
                        "user uid=ci-bot,ou=services," + BASE
                                + " has no attribute employeeType required by allowedFields");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aDirectoryThatCannotBeAskedIs502AndAudited(Db db) throws Exception {
        String since = since();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = s.getLocalPort();
        }
        Map<String, Object> down = settings();
        down.put("url", "ldap://127.0.0.1:" + closedPort);
        Map<String, Object> blocked = settings();
        blocked.put("url", "ldap://0.0.0.0:389"); // "unspecified": blocked, and outside the test allowlist
        Map<String, Object> badServiceAccount = settings();
        badServiceAccount.put("bindPass", "not-the-service-password");
        List<String> ids = List.of(attach(db, down), attach(db, blocked), attach(db, badServiceAccount));

        for (String id : ids) {
            Res res = login(db, id, "alice", ALICE_PASSWORD);
            assertThat(res.status()).as(res.toString()).isEqualTo(502);
            assertThat(res.body().path("message").asString())
                    .contains("directory is unavailable")
                    .doesNotContain("127.0.0.1")
                    .doesNotContain("0.0.0.0");
        }

        assertThat(failureReasons(db, ids.get(0), since))
                .singleElement()
                .asString()
                .startsWith("directory unavailable: cannot connect to 127.0.0.1:" + closedPort)
                .contains("Connection refused");
        assertThat(failureReasons(db, ids.get(1), since))
                .singleElement()
                .asString()
                .contains("blocked address");
        assertThat(failureReasons(db, ids.get(2), since))
                .singleElement()
                .asString()
                .contains("service account (bindDN) could not bind (invalid credentials)");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void ldapsAndStartTlsTrustTheConfiguredCaAndCheckTheHostName(Db db) {
        String since = since();
        Map<String, Object> ldaps = settings();
        ldaps.put("url", ldapsUrl("localhost"));
        ldaps.put("ldapCaCertificate", caPem);
        Map<String, Object> startTls = settings();
        startTls.put("url", ldapUrl("localhost"));
        startTls.put("useStartTls", true);
        startTls.put("ldapCaCertificate", caPem);
        Map<String, Object> untrusted = settings();
        untrusted.put("url", ldapsUrl("localhost"));
        Map<String, Object> wrongHost = new HashMap<>(ldaps);
        wrongHost.put("url", ldapsUrl("127.0.0.1")); // the certificate names localhost only
        Map<String, Object> startTlsWrongHost = new HashMap<>(startTls);
        startTlsWrongHost.put("url", ldapUrl("127.0.0.1"));

        assertThat(login(db, attach(db, ldaps), "alice", ALICE_PASSWORD).status())
                .isEqualTo(200);
        assertThat(login(db, attach(db, startTls), "alice", ALICE_PASSWORD).status())
                .isEqualTo(200);
        Map<Map<String, Object>, String> refusals = Map.of(
                untrusted,
                "unable to find valid certification path",
                wrongHost,
                "No subject alternative names matching IP address 127.0.0.1",
                startTlsWrongHost,
                "No subject alternative names matching IP address 127.0.0.1");
        int bindsBefore = BINDS.size();
        for (Map.Entry<Map<String, Object>, String> refused : refusals.entrySet()) {
            String id = attach(db, refused.getKey());
            Res res = login(db, id, "alice", ALICE_PASSWORD);
            assertThat(res.status())
                    .as(refused.getKey().get("url") + " -> " + res)
                    .isEqualTo(502);
            assertThat(failureReasons(db, id, since))
                    .singleElement()
                    .asString()
                    .startsWith("directory unavailable:")
                    .contains(refused.getValue());
        }
        assertThat(BINDS.size())
                .as("no credential crossed an unverified connection")
                .isEqualTo(bindsBefore);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void repeatedFailuresLockTheUsernameUntilTheLockoutsAreCleared(Db db) {
        Map<String, Object> s = settings();
        s.put("lockoutThreshold", 2);
        String id = attach(db, s);

        assertThat(login(db, id, "alice", "wrong-1").status()).isEqualTo(401);
        assertThat(login(db, id, " ALICE ", "wrong-2").status())
                .as("the same user, written differently")
                .isEqualTo(401);
        Res locked = login(db, id, "alice", ALICE_PASSWORD);
        assertThat(locked.status()).isEqualTo(401);
        assertThat(locked.body().path("message").asString()).contains("temporarily locked");
        assertThat(login(db, id, "bob", BOB_PASSWORD).status())
                .as("other usernames are not locked")
                .isEqualTo(200);

        Res cleared = admin(db).post(LDAP + id + "/clear-lockouts", Map.of());
        assertThat(cleared.status()).as(cleared.toString()).isEqualTo(200);
        assertThat(cleared.body().path("deleted").asInt()).isEqualTo(1);
        assertThat(login(db, id, "alice", ALICE_PASSWORD).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void detachingRevokesTheTokensIssuedThroughLdapAuth(Db db) {
        String id = attach(db, settings());
        String token = login(db, id, "alice", ALICE_PASSWORD)
                .body()
                .path("accessToken")
                .asString();
        assertThat(ids(db).probe(token, id).status()).isEqualTo(200);

        Res detached = admin(db).delete(LDAP + id, null);

        assertThat(detached.status()).as(detached.toString()).isEqualTo(200);
        assertThat(detached.raw()).doesNotContain(SERVICE_PASSWORD);
        assertThat(ids(db).probe(token, id).status()).isEqualTo(403);
        assertThat(login(db, id, "alice", ALICE_PASSWORD).status()).isEqualTo(401);
        assertThat(admin(db).get(LDAP + id).status()).isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void invalidConfigurationsAreRefusedWith422(Db db) {
        String id = ids(db).create("member");
        List<Map<String, Object>> bad = new ArrayList<>();
        bad.add(Map.of());
        for (Object[] change : new Object[][] {
            {"url", "http://ldap.example.com"},
            {"url", "ldap://h/dc=x??sub"},
            {"url", ""},
            {"searchFilter", "(uid=alice)"},
            {"searchFilter", "(uid={{username}}"},
            {"bindDN", "not a dn"},
            {"searchBase", "nope"},
            {"bindPass", ""},
            {"ldapCaCertificate", "not a cert"},
            {"allowedGroups", List.of("not a dn")},
            {"allowedFields", List.of(Map.of("key", "a b", "value", "x"))},
            {"allowedFields", List.of(Map.of("key", "memberOf", "value", " "))},
            {"lockoutThreshold", 0}
        }) {
            Map<String, Object> s = settings();
            s.put((String) change[0], change[1]);
            bad.add(s);
        }
        Map<String, Object> startTlsOverLdaps = settings();
        startTlsOverLdaps.put("url", ldapsUrl("localhost"));
        startTlsOverLdaps.put("useStartTls", true);
        bad.add(startTlsOverLdaps);

        for (Map<String, Object> s : bad) {
            Res res = admin(db).post(LDAP + id, s);
            assertThat(res.status()).as(s + " -> " + res).isEqualTo(422);
        }
        assertThat(admin(db).get(LDAP + id).status()).isEqualTo(404);

        assertThat(admin(db).post(LDAP + id, settings()).status()).isEqualTo(200);
        assertThat(admin(db).post(LDAP + id, settings()).status())
                .as("attached twice")
                .isEqualTo(400);
        Res patched = admin(db).patch(LDAP + id, Map.of("searchBase", "ou=people," + BASE, "accessTokenTTL", 60));
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.body().path("identityLdapAuth").path("url").asString())
                .isEqualTo(ldapUrl("127.0.0.1"));
        assertThat(patched.body().path("identityLdapAuth").path("searchBase").asString())
                .isEqualTo("ou=people," + BASE);
        assertThat(login(db, id, "alice", ALICE_PASSWORD)
                        .body()
                        .path("expiresIn")
                        .asLong())
                .as("the bind password survives a PATCH without it")
                .isEqualTo(60L);
    }
}
