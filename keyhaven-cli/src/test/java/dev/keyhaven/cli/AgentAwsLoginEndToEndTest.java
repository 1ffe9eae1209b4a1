package dev.keyhaven.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.cli.InProcessCli.Result;
import dev.keyhaven.client.SecretQuery;
import dev.keyhaven.server.identity.aws.AwsSigning;
import dev.keyhaven.server.identity.aws.StsStandIn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keyhaven agent} with {@code method: aws} against a real server whose STS calls go to a
 * loopback stand-in: the agent signs {@code sts:GetCallerIdentity} with the AWS credentials in its
 * environment, the server forwards the request, and the stand-in checks the SigV4 signature as STS
 * would before saying who signed it.
 */
class AgentAwsLoginEndToEndTest {
    static final String ACCOUNT = "111122223333";
    /** A session of role deploy: {@code arn:aws:sts::111122223333:assumed-role/deploy/i-0abc123}. */
    static final AwsSigning.Credentials DEPLOY_SESSION = new AwsSigning.Credentials(
            "ASIAKEYHAVENDEPLOY03",
            "deploySessionSecret/0123456789abcdefghijKLM",
            "IQoJb3JpZ2luX2VjEKEYHAVENdeploySessionToken//0123456789=");
    /** IAM user {@code arn:aws:iam::111122223333:user/ci}, long-term keys. */
    static final AwsSigning.Credentials CI_USER =
            new AwsSigning.Credentials("AKIAKEYHAVENCIUSER01", "ciUserSecretKey/0123456789abcdefghijKLMNOP", null);
    /** IAM user {@code arn:aws:iam::444455556666:user/ci} of another account. */
    static final AwsSigning.Credentials STRANGER =
            new AwsSigning.Credentials("AKIAKEYHAVENSTRANGR4", "strangerSecretKey/0123456789abcdefghijKLMN", null);

    static StsStandIn sts;
    static CliServer server;
    static String project;

    @TempDir
    Path home;

    @TempDir
    Path work;

    @BeforeAll
    static void start() throws IOException {
        sts = new StsStandIn()
                .add(new StsStandIn.Principal(
                        DEPLOY_SESSION,
                        ACCOUNT,
                        "arn:aws:sts::111122223333:assumed-role/deploy/i-0abc123",
                        "AROAKEYHAVENDEPLOY:i-0abc123"))
                .add(new StsStandIn.Principal(
                        CI_USER, ACCOUNT, "arn:aws:iam::111122223333:user/ci", "AIDAKEYHAVENCIUSER01"))
                .add(new StsStandIn.Principal(
                        STRANGER, "444455556666", "arn:aws:iam::444455556666:user/ci", "AIDAKEYHAVENSTRANGR4"));
        server = CliServer.startPrivate(
                "--keyhaven.aws-sts-endpoint-template=" + sts.url(),
                "--keyhaven.outbound-allowlist=127.0.0.0/8,::1/128");
        project = server.project();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
        if (sts != null) {
            sts.close();
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** An identity, viewer of the project, with AWS auth for account 111122223333 (any principal in it). */
    static String awsIdentity() {
        String id = server.admin
                .send(
                        "POST",
                        "/api/v1/identities",
                        Map.of("name", CliServer.unique("id"), "organizationId", server.orgId, "role", "member"),
                        true)
                .body()
                .path("identity")
                .path("id")
                .asString();
        server.admin.send(
                "POST", "/api/v2/workspace/" + project + "/identity-memberships/" + id, Map.of("role", "viewer"), true);
        server.admin.send(
                "POST",
                "/api/v1/auth/aws-auth/identities/" + id,
                Map.of("allowedAccountIds", ACCOUNT, "accessTokenTTL", 3600),
                true);
        return id;
    }

    static Map<String, String> awsEnv(AwsSigning.Credentials c) {
        Map<String, String> env = new HashMap<>(
                Map.of("AWS_ACCESS_KEY_ID", c.accessKeyId(), "AWS_SECRET_ACCESS_KEY", c.secretAccessKey()));
        if (c.sessionToken() != null) {
            env.put("AWS_SESSION_TOKEN", c.sessionToken());
        }
        return env;
    }

    String folder(String value) {
        String name = CliServer.unique("agent").replace("-", "");
        server.folder(project, "dev", "/", name);
        server.admin.setSecret(SecretQuery.of(project, "dev", "/" + name), "KEY", value);
        return "/" + name;
    }

    Path config(String auth, String path) throws IOException {
        Path p = work.resolve("agent.yaml");
        Files.writeString(
                p,
                "url: " + server.url + "\n"
                        + "projectId: " + project + "\n"
                        + "auth:\n" + auth
                        + "pollInterval: 200ms\n"
                        + "templates:\n"
                        + "  - contents: 'v={{ secret \"dev\" \"" + path + "\" \"KEY\" }}'\n"
                        + "    destination: out.txt\n");
        return p;
    }

    Result once(Path cfg, Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("XDG_CONFIG_HOME", home.toString());
        return InProcessCli.run(env, work, "agent", "--config", cfg.toString(), "--once");
    }

    static String read(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p) : "";
    }

    /** What must never show in the agent's output: keys, session token, signature. */
    static void assertNoCredentials(Result r, AwsSigning.Credentials c) {
        assertThat(r.err() + r.out())
                .doesNotContain(c.secretAccessKey())
                .doesNotContain(c.accessKeyId())
                .doesNotContain("Signature=")
                .doesNotContain("AWS4-HMAC-SHA256");
        if (c.sessionToken() != null) {
            assertThat(r.err() + r.out()).doesNotContain(c.sessionToken());
        }
    }

    private void assertBad(Path cfg, Map<String, String> env, String message) {
        Result r = once(cfg, env);
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).startsWith("Error: ").contains(message);
        assertThat(r.err().lines().toList()).as(r.err()).hasSize(1);
    }

    // ---- tests ------------------------------------------------------------------------------

    @Test
    void signsWithTheRoleSessionForTheConfiguredRegionAndRenders() throws Exception {
        String id = awsIdentity();
        String path = folder("aws-5c7e");
        Path cfg = config("  method: aws\n  identityId: " + id + "\n  region: eu-west-1\n", path);
        int before = sts.received().size();

        // AWS_REGION is ignored when the config names a region
        Map<String, String> env = awsEnv(DEPLOY_SESSION);
        env.put("AWS_REGION", "us-east-2");
        Result r = once(cfg, env);

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(read(work.resolve("out.txt"))).isEqualTo("v=aws-5c7e");
        assertThat(r.err())
                .contains("Logged in with AWS IAM auth (identity " + id + ", eu-west-1)")
                .doesNotContain("5c7e");
        assertNoCredentials(r, DEPLOY_SESSION);
        // the server asked STS (the stand-in) once, for the host the agent signed, and STS accepted the signature
        assertThat(sts.received().subList(before, sts.received().size()))
                .containsExactly(new StsStandIn.Received("sts.eu-west-1.amazonaws.com", "/", 200, null));
    }

    @Test
    void takesTheRegionFromTheEnvironmentAndSignsWithLongTermKeys() throws Exception {
        String id = awsIdentity();
        String path = folder("ci-9a0b");
        Path cfg = config("  method: aws\n  identityIdEnv: KEYHAVEN_IDENTITY_ID\n", path);
        Map<String, String> env = awsEnv(CI_USER);
        env.put("KEYHAVEN_IDENTITY_ID", id);
        env.put("AWS_DEFAULT_REGION", "ap-southeast-2");
        int before = sts.received().size();

        Result r = once(cfg, env);

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(read(work.resolve("out.txt"))).isEqualTo("v=ci-9a0b");
        assertThat(r.err()).contains("Logged in with AWS IAM auth (identity " + id + ", ap-southeast-2)");
        assertNoCredentials(r, CI_USER);
        assertThat(sts.received().subList(before, sts.received().size()))
                .containsExactly(new StsStandIn.Received("sts.ap-southeast-2.amazonaws.com", "/", 200, null));
    }

    @Test
    void anotherAccountAndAWrongSecretKeyAreRefusedWithAClearError() throws Exception {
        String id = awsIdentity();
        String path = folder("deny-3f4d");
        Path cfg = config("  method: aws\n  identityId: " + id + "\n  region: eu-central-1\n", path);

        Result stranger = once(cfg, awsEnv(STRANGER));
        assertThat(stranger.code()).isEqualTo(1);
        assertThat(stranger.err())
                .contains("Login with AWS IAM auth (identity " + id + ", eu-central-1) failed")
                .contains("AWS account ID not allowed: 444455556666");
        assertNoCredentials(stranger, STRANGER);

        AwsSigning.Credentials wrongSecret =
                new AwsSigning.Credentials(CI_USER.accessKeyId(), "notTheSecretKeyOfCiUser/0123456789abcdefgh", null);
        Result forged = once(cfg, awsEnv(wrongSecret));
        assertThat(forged.code()).isEqualTo(1);
        assertThat(forged.err())
                .contains("Login with AWS IAM auth (identity " + id + ", eu-central-1) failed")
                .contains("SignatureDoesNotMatch");
        assertNoCredentials(forged, wrongSecret);
        assertThat(work.resolve("out.txt")).doesNotExist();
    }

    @Test
    void aBadAwsAuthBlockStopsTheAgentWithTheLineAndTheField() throws IOException {
        Map<String, String> keys = awsEnv(CI_USER);
        assertBad(
                config("  method: aws\n  identityId: x\n", "/"),
                keys,
                "agent.yaml line 4: auth.method: No AWS region: set region in the auth block, or AWS_REGION or "
                        + "AWS_DEFAULT_REGION");
        assertBad(
                config("  method: aws\n  identityId: x\n  region: Europe\n", "/"),
                keys,
                "agent.yaml line 6: auth.region: 'Europe' is not an AWS region (e.g. eu-west-1).");
        assertBad(
                config("  method: aws\n  identityId: x\n  region: eu-west-1\n", "/"),
                Map.of(),
                "agent.yaml line 4: auth.method: No AWS credentials: set AWS_ACCESS_KEY_ID and "
                        + "AWS_SECRET_ACCESS_KEY");
        assertBad(
                config("  method: aws\n  region: eu-west-1\n", "/"),
                keys,
                "agent.yaml line 4: auth: the identity id is missing: set one of identityId, identityIdFile");
        assertBad(
                config("  method: aws\n  identityId: x\n  secretAccessKey: y\n", "/"),
                keys,
                "agent.yaml line 6: unknown key 'auth.secretAccessKey'; expected one of");
        assertThat(work.resolve("out.txt")).doesNotExist();
    }
}
