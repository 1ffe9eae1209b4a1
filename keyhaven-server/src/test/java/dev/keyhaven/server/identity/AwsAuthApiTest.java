package dev.keyhaven.server.identity;

import static dev.keyhaven.server.identity.aws.AwsTestServers.BOB;
import static dev.keyhaven.server.identity.aws.AwsTestServers.CI_USER;
import static dev.keyhaven.server.identity.aws.AwsTestServers.DEPLOY_SESSION;
import static dev.keyhaven.server.identity.aws.AwsTestServers.STRANGER;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.keyhaven.server.identity.aws.AwsSigning;
import dev.keyhaven.server.identity.aws.AwsTestServers;
import dev.keyhaven.server.identity.aws.StsStandIn;
import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * AWS IAM auth end to end on both databases: requests signed by the AWS SDK for Java v2 signer,
 * replayed by the server to an STS stand-in on loopback that checks the signature as STS does.
 * A second loopback server plays the host an attacker would like the server to call.
 */
class AwsAuthApiTest {
    static final String AWS = "/api/v1/auth/aws-auth/identities/";
    static final String LOGIN = "/api/v1/auth/aws-auth/login";

    private static HttpServer evil;
    private static final AtomicInteger EVIL_HITS = new AtomicInteger();

    @BeforeAll
    static void startEvilHost() throws Exception {
        evil = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        evil.createContext("/", ex -> {
            EVIL_HITS.incrementAndGet();
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        evil.start();
    }

    @AfterAll
    static void stopEvilHost() {
        evil.stop(0);
    }

    private static String evilAuthority() {
        return "127.0.0.1:" + evil.getAddress().getPort();
    }

    private static TestServer server(Db db) {
        return AwsTestServers.server(db);
    }

    private static Api admin(Db db) {
        return server(db).admin();
    }

    private static StsStandIn sts() {
        return AwsTestServers.sts();
    }

    /** An identity with AWS auth attached with {@code settings}; returns its id. */
    private static String attach(Db db, Map<String, Object> settings) {
        String id = new MachineIdentities(server(db)).create("member");
        Res res = admin(db).post(AWS + id, settings);
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return id;
    }

    private static Res login(Db db, String id, Map<String, String> signedHeaders) {
        return post(db, AwsSigning.loginBody(id, signedHeaders, AwsSigning.BODY));
    }

    private static Res post(Db db, Map<String, Object> loginBody) {
        return server(db).anonymous().post(LOGIN, loginBody);
    }

    private static List<JsonNode> audit(Db db, String id, String since, String type) {
        Res res = admin(db).get("/api/v1/organization/audit-logs", "startDate", since, "limit", 1000, "actor", id);
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return res.body()
                .path("auditLogs")
                .valueStream()
                .filter(r -> r.path("event").path("type").asString().equals(type))
                .toList();
    }

    private static List<String> failureReasons(Db db, String id, String since) {
        return audit(db, id, since, "login-identity-aws-auth-failed").stream()
                .map(r -> r.path("event").path("metadata").path("reason").asString())
                .toList();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aSignedRequestLogsInAndDetachingRevokesItsTokens(Db db) {
        String since = Instant.now().minusSeconds(5).toString();
        String id = attach(
                db,
                Map.of(
                        "allowedAccountIds",
                        " 111122223333 ,444455556666",
                        "allowedPrincipalArns",
                        "arn:aws:iam::111122223333:user/ci",
                        "accessTokenTTL",
                        600));
        JsonNode config = admin(db).get(AWS + id).body().path("identityAwsAuth");
        assertThat(config.path("type").asString()).isEqualTo("iam");
        assertThat(config.path("stsEndpoint").asString()).isEqualTo("https://sts.amazonaws.com/");
        assertThat(config.path("allowedAccountIds").asString()).isEqualTo("111122223333, 444455556666");
        assertThat(config.path("accessTokenTTL").asLong()).isEqualTo(600);
        assertThat(admin(db)
                        .get("/api/v1/identities/" + id)
                        .body()
                        .path("identity")
                        .path("authMethods")
                        .toString())
                .contains("aws-auth");
        int before = sts().received().size();

        Res res = login(db, id, AwsSigning.sign(CI_USER, "us-east-1"));

        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        assertThat(res.body().path("expiresIn").asLong()).isEqualTo(600);
        assertThat(res.body().path("tokenType").asString()).isEqualTo("Bearer");
        List<StsStandIn.Received> calls =
                sts().received().subList(before, sts().received().size());
        assertThat(calls).containsExactly(new StsStandIn.Received("sts.us-east-1.amazonaws.com", "/", 200, null));
        JsonNode ok = audit(db, id, since, "login-identity-aws-auth")
                .get(0)
                .path("event")
                .path("metadata");
        assertThat(ok.path("accountId").asString()).isEqualTo("111122223333");
        assertThat(ok.path("principalArn").asString()).isEqualTo("arn:aws:iam::111122223333:user/ci");

        String token = res.body().path("accessToken").asString();
        MachineIdentities ids = new MachineIdentities(server(db));
        assertThat(ids.probe(token, id).status()).isEqualTo(200);
        assertThat(admin(db).delete(AWS + id, null).status()).isEqualTo(200);
        assertThat(ids.probe(token, id).status()).isEqualTo(403);
        assertThat(login(db, id, AwsSigning.sign(CI_USER, "us-east-1")).status())
                .isEqualTo(401);
        assertThat(admin(db).get(AWS + id).status()).isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aFormEncodedLoginIsAcceptedAsInfisicalsSdksSendIt(Db db) {
        String id = attach(db, Map.of("allowedAccountIds", "111122223333"));

        Res res = server(db)
                .anonymous()
                .postForm(LOGIN, AwsSigning.loginBody(id, AwsSigning.sign(CI_USER, "us-east-1"), AwsSigning.BODY));

        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        assertThat(new MachineIdentities(server(db))
                        .probe(res.body().path("accessToken").asString(), id)
                        .status())
                .isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aPrincipalOfAnotherAccountIsRefusedWith401AndAudited(Db db) {
        String since = Instant.now().minusSeconds(5).toString();
        String id = attach(db, Map.of("allowedAccountIds", AwsTestServers.ACCOUNT));

        assertThat(login(db, id, AwsSigning.sign(CI_USER, "eu-west-1")).status())
                .isEqualTo(200);
        Res res = login(db, id, AwsSigning.sign(STRANGER, "eu-west-1"));

        assertThat(res.status()).as(res.toString()).isEqualTo(401);
        assertThat(failureReasons(db, id, since)).containsExactly("AWS account ID not allowed: 444455556666");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aWildcardArnAdmitsTheMatchingPrincipalsOnly(Db db) {
        String id = attach(
                db,
                Map.of("allowedPrincipalArns", "arn:aws:iam::111122223333:user/c*, arn:aws:iam::444455556666:role/*"));

        assertThat(login(db, id, AwsSigning.sign(CI_USER, "us-east-1")).status())
                .isEqualTo(200);
        assertThat(login(db, id, AwsSigning.sign(BOB, "us-east-1")).status()).isEqualTo(401);
        assertThat(login(db, id, AwsSigning.sign(STRANGER, "us-east-1")).status())
                .isEqualTo(401);

        String paths = attach(db, Map.of("allowedPrincipalArns", "arn:aws:iam::111122223333:user/ops/*"));
        assertThat(login(db, paths, AwsSigning.sign(BOB, "us-east-1")).status()).isEqualTo(200);
        assertThat(login(db, paths, AwsSigning.sign(CI_USER, "us-east-1")).status())
                .isEqualTo(401);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anAssumedRoleSessionMatchesTheRoleArn(Db db) {
        String since = Instant.now().minusSeconds(5).toString();
        String role = attach(db, Map.of("allowedPrincipalArns", "arn:aws:iam::111122223333:role/deploy"));
        String assumed = attach(db, Map.of("allowedPrincipalArns", "arn:aws:sts::111122223333:assumed-role/deploy"));
        String other = attach(db, Map.of("allowedPrincipalArns", "arn:aws:iam::111122223333:role/deployer"));

        assertThat(login(db, role, AwsSigning.sign(DEPLOY_SESSION, "us-east-2")).status())
                .isEqualTo(200);
        assertThat(login(db, assumed, AwsSigning.sign(DEPLOY_SESSION, "us-east-2"))
                        .status())
                .isEqualTo(200);
        assertThat(login(db, role, AwsSigning.sign(CI_USER, "us-east-2")).status())
                .isEqualTo(401);
        assertThat(login(db, other, AwsSigning.sign(DEPLOY_SESSION, "us-east-2"))
                        .status())
                .isEqualTo(401);
        assertThat(failureReasons(db, other, since))
                .containsExactly(
                        "AWS principal ARN not allowed: arn:aws:sts::111122223333:assumed-role/deploy/i-0abc123");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aTamperedRequestIsRefusedByStsAndTheLoginWith401(Db db) {
        String since = Instant.now().minusSeconds(5).toString();
        String id = attach(db, Map.of("allowedAccountIds", AwsTestServers.ACCOUNT));
        Map<String, String> signed = AwsSigning.sign(DEPLOY_SESSION, "us-east-1");

        Map<String, String> changedHeader = new LinkedHashMap<>(signed);
        changedHeader.put("Content-Type", "application/x-www-form-urlencoded");
        Res header = login(db, id, changedHeader);

        String otherBody = "Action=GetCallerIdentity&Version=2011-06-15&Extra=1";
        Map<String, String> signedOverOtherBody =
                AwsSigning.sign(DEPLOY_SESSION, "us-east-1", "sts.us-east-1.amazonaws.com", otherBody, Instant.now());
        Res body = login(db, id, signedOverOtherBody);

        Map<String, String> euWest = AwsSigning.sign(DEPLOY_SESSION, "eu-west-1");
        Map<String, String> movedToUsEast = new LinkedHashMap<>(euWest);
        movedToUsEast.put("Authorization", euWest.get("Authorization").replace("/eu-west-1/", "/us-east-1/"));
        movedToUsEast.put("Host", "sts.us-east-1.amazonaws.com");
        Res region = login(db, id, movedToUsEast);

        for (Res r : List.of(header, body, region)) {
            assertThat(r.status()).as(r.toString()).isEqualTo(401);
            assertThat(r.body().path("message").asString()).contains("SignatureDoesNotMatch");
        }
        assertThat(failureReasons(db, id, since))
                .hasSize(3)
                .allMatch(r -> r.equals("STS refused the signed request: SignatureDoesNotMatch (status 403)"));
        String raw = admin(db)
                .get("/api/v1/organization/audit-logs", "startDate", since, "limit", 1000, "actor", id)
                .raw();
        String signature = signed.get("Authorization").replaceAll(".*Signature=", "");
        assertThat(raw)
                .doesNotContain(DEPLOY_SESSION.sessionToken())
                .doesNotContain(signature)
                .doesNotContain(DEPLOY_SESSION.secretAccessKey());
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void onlyTheGetCallerIdentityBodyIsReplayed(Db db) {
        String id = attach(db, Map.of("allowedAccountIds", AwsTestServers.ACCOUNT));
        int before = sts().received().size();
        String assumeRole = "Action=AssumeRole&Version=2011-06-15&RoleArn=arn:aws:iam::111122223333:role/admin";
        Map<String, String> signed =
                AwsSigning.sign(CI_USER, "us-east-1", "sts.us-east-1.amazonaws.com", assumeRole, Instant.now());

        Res res = post(db, AwsSigning.loginBody(id, signed, assumeRole));

        assertThat(res.status()).as(res.toString()).isEqualTo(400);
        assertThat(res.body().path("message").asString()).contains("Action=GetCallerIdentity&Version=2011-06-15");
        Map<String, Object> post =
                new LinkedHashMap<>(AwsSigning.loginBody(id, AwsSigning.sign(CI_USER, "us-east-1"), AwsSigning.BODY));
        post.put("iamHttpRequestMethod", "GET");
        assertThat(post(db, post).status()).isEqualTo(400);
        assertThat(sts().received()).hasSize(before);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void theClientCannotChooseWhereTheServerSendsTheRequest(Db db) {
        String since = Instant.now().minusSeconds(5).toString();
        String id = attach(db, Map.of("allowedAccountIds", AwsTestServers.ACCOUNT));
        int evilBefore = EVIL_HITS.get();
        int before = sts().received().size();

        // a URL of the client's choosing is ignored
        Map<String, Object> withUrl =
                new LinkedHashMap<>(AwsSigning.loginBody(id, AwsSigning.sign(CI_USER, "us-east-1"), AwsSigning.BODY));
        withUrl.put("iamRequestUrl", AwsSigning.b64("http://" + evilAuthority() + "/"));
        assertThat(post(db, withUrl).status()).isEqualTo(200);
        withUrl.put("iamRequestUrl", "http://" + evilAuthority() + "/");
        withUrl.put(
                "iamRequestHeaders",
                AwsSigning.loginBody(id, AwsSigning.sign(CI_USER, "us-east-1"), AwsSigning.BODY)
                        .get("iamRequestHeaders"));
        assertThat(post(db, withUrl).status()).isEqualTo(200);

        // a request signed for another host is refused before anything is sent
        Map<String, String> forEvil =
                AwsSigning.sign(CI_USER, "us-east-1", evilAuthority(), AwsSigning.BODY, Instant.now());
        Res host = login(db, id, forEvil);
        assertThat(host.status()).as(host.toString()).isEqualTo(401);

        // a region that is not a region cannot smuggle a host into the URL
        for (String region : List.of(
                evilAuthority() + "#",
                "evil.example/x",
                "us-east-1.evil.example",
                "US-EAST-1",
                "us-east-1@" + evilAuthority(),
                "")) {
            Map<String, String> headers = new LinkedHashMap<>(AwsSigning.sign(CI_USER, "us-east-1"));
            headers.put("Authorization", headers.get("Authorization").replace("/us-east-1/", "/" + region + "/"));
            Res res = login(db, id, headers);
            assertThat(res.status()).as(region + ": " + res).isEqualTo(400);
            assertThat(res.body().path("message").asString())
                    .containsAnyOf("Invalid AWS region", "the Authorization header has no credential scope");
        }

        assertThat(EVIL_HITS.get()).isEqualTo(evilBefore);
        assertThat(sts().received().subList(before, sts().received().size()))
                .extracting(StsStandIn.Received::host)
                .containsExactly("sts.us-east-1.amazonaws.com", "sts.us-east-1.amazonaws.com");
        assertThat(failureReasons(db, id, since))
                .contains(
                        "the request is signed for another host than sts.us-east-1.amazonaws.com",
                        "Invalid AWS region");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aSignatureOlderThan15MinutesIsRefusedWithoutAskingSts(Db db) {
        String id = attach(db, Map.of("allowedAccountIds", AwsTestServers.ACCOUNT));
        int before = sts().received().size();
        Map<String, String> old = AwsSigning.sign(
                CI_USER,
                "us-east-1",
                "sts.us-east-1.amazonaws.com",
                AwsSigning.BODY,
                Instant.now().minusSeconds(20 * 60));

        Res res = login(db, id, old);

        assertThat(res.status()).as(res.toString()).isEqualTo(401);
        assertThat(res.body().path("message").asString()).contains("more than 15 minutes ago");
        assertThat(sts().received()).hasSize(before);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void malformedLoginsGetClearErrors(Db db) {
        String id = attach(db, Map.of("allowedAccountIds", AwsTestServers.ACCOUNT));
        Map<String, Object> good = AwsSigning.loginBody(id, AwsSigning.sign(CI_USER, "us-east-1"), AwsSigning.BODY);

        Map<String, Object> noHeaders = new LinkedHashMap<>(good);
        noHeaders.remove("iamRequestHeaders");
        assertThat(post(db, noHeaders).status()).isEqualTo(422);
        Map<String, Object> notBase64 = new LinkedHashMap<>(good);
        notBase64.put("iamRequestHeaders", "{not base64");
        assertThat(post(db, notBase64).status()).isEqualTo(400);
        Map<String, Object> notAnObject = new LinkedHashMap<>(good);
        notAnObject.put("iamRequestHeaders", AwsSigning.b64("[1,2]"));
        assertThat(post(db, notAnObject).status()).isEqualTo(400);
        Map<String, String> noAuthorization = new LinkedHashMap<>(AwsSigning.sign(CI_USER, "us-east-1"));
        noAuthorization.remove("Authorization");
        assertThat(login(db, id, noAuthorization).status()).isEqualTo(400);
        Map<String, Object> unknownIdentity = new LinkedHashMap<>(good);
        unknownIdentity.put("identityId", "00000000-0000-0000-0000-000000000000");
        assertThat(post(db, unknownIdentity).status()).isEqualTo(401);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void theConfigurationIsValidated(Db db) {
        String id = new MachineIdentities(server(db)).create("member");
        assertThat(admin(db).post(AWS + id, Map.of()).status())
                .as("no account or ARN allowed")
                .isEqualTo(422);
        assertThat(admin(db).post(AWS + id, Map.of("allowedAccountIds", "1234")).status())
                .isEqualTo(422);
        assertThat(admin(db)
                        .post(AWS + id, Map.of("allowedPrincipalArns", "arn:aws:iam::*:role/x"))
                        .status())
                .isEqualTo(422);
        assertThat(admin(db).post(AWS + id, Map.of("allowedPrincipalArns", "*")).status())
                .isEqualTo(422);
        assertThat(admin(db)
                        .post(
                                AWS + id,
                                Map.of(
                                        "allowedAccountIds",
                                        AwsTestServers.ACCOUNT,
                                        "stsEndpoint",
                                        "http://169.254.169.254/"))
                        .status())
                .isEqualTo(422);
        assertThat(admin(db)
                        .post(AWS + id, Map.of("allowedAccountIds", AwsTestServers.ACCOUNT, "accessTokenMaxTTL", 0))
                        .status())
                .isEqualTo(422);

        assertThat(admin(db)
                        .post(AWS + id, Map.of("allowedAccountIds", AwsTestServers.ACCOUNT))
                        .status())
                .isEqualTo(200);
        assertThat(admin(db)
                        .post(AWS + id, Map.of("allowedAccountIds", AwsTestServers.ACCOUNT))
                        .status())
                .isEqualTo(400);
        Res patched = admin(db)
                .patch(
                        AWS + id,
                        Map.of("allowedPrincipalArns", "arn:aws:iam::111122223333:role/*", "accessTokenTTL", 60));
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        JsonNode c = patched.body().path("identityAwsAuth");
        assertThat(c.path("allowedAccountIds").asString()).isEqualTo(AwsTestServers.ACCOUNT);
        assertThat(c.path("allowedPrincipalArns").asString()).isEqualTo("arn:aws:iam::111122223333:role/*");
        assertThat(c.path("accessTokenTTL").asLong()).isEqualTo(60);
        assertThat(admin(db)
                        .patch(AWS + id, Map.of("allowedAccountIds", "", "allowedPrincipalArns", ""))
                        .status())
                .isEqualTo(422);
    }
}
