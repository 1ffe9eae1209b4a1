package dev.keyhaven.server.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.identity.MachineIdentities;
import dev.keyhaven.server.identity.aws.AwsSigning;
import dev.keyhaven.server.identity.aws.AwsTestServers;
import dev.keyhaven.server.identity.aws.StsStandIn;
import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * The official Node SDK's AWS IAM login ({@code auth().awsIamAuth.login}, {@code compat/aws-login.mjs})
 * against a server whose STS calls go to the loopback stand-in: the SDK signs with AWS credentials
 * from the environment exactly as on AWS, the stand-in checks that signature, and the token the
 * SDK gets reads a project's secrets and renews.
 */
class NodeSdkAwsLoginTest {

    private record Run(int exit, JsonNode result, String output) {}

    private static Run run(
            TestServer server, String identityId, String projectId, AwsSigning.Credentials key, String region, Db db)
            throws Exception {
        Path compat = Path.of("..", "compat").toAbsolutePath().normalize();
        Path log = Path.of("target", "compat-aws-" + db.name().toLowerCase() + ".log")
                .toAbsolutePath();
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(
                        "bash", compat.resolve("run-aws-login.sh").toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("INFISICAL_"));
        env.put("KEYHAVEN_URL", server.baseUrl);
        env.put("KEYHAVEN_IDENTITY_ID", identityId);
        env.put("KEYHAVEN_PROJECT_ID", projectId);
        env.put("AWS_ACCESS_KEY_ID", key.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", key.secretAccessKey());
        if (key.sessionToken() != null) {
            env.put("AWS_SESSION_TOKEN", key.sessionToken());
        }
        env.put("AWS_REGION", region);
        // nothing but the environment may supply credentials or a region
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_CONFIG_FILE", "/nonexistent/keyhaven-test");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/keyhaven-test");
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("aws-login.mjs did not finish in 5 minutes; see " + log);
        }
        String output = Files.readString(log);
        List<String> lines = output.lines().filter(l -> l.startsWith("{")).toList();
        JsonNode result = lines.isEmpty() ? null : Api.JSON.readTree(lines.get(lines.size() - 1));
        return new Run(p.exitValue(), result, output);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void theNodeSdkLogsInWithAwsIamAndReadsSecrets(Db db) throws Exception {
        TestServer server = AwsTestServers.server(db);
        String projectId = new Fixtures(server).project();
        String key = Fixtures.unique("AWS_LOGIN").toUpperCase().replace('-', '_');
        Res secret = server.admin()
                .post(
                        "/api/v3/secrets/raw/" + key,
                        Map.of("workspaceId", projectId, "environment", "dev", "secretValue", "from-aws-login"));
        assertThat(secret.status()).as(secret.toString()).isEqualTo(200);
        String identityId = new MachineIdentities(server).create("member");
        Res joined = server.admin()
                .post(
                        "/api/v2/workspace/" + projectId + "/identity-memberships/" + identityId,
                        Map.of("role", "viewer"));
        assertThat(joined.status()).as(joined.toString()).isEqualTo(200);
        Res attached = server.admin()
                .post(
                        "/api/v1/auth/aws-auth/identities/" + identityId,
                        Map.of("allowedPrincipalArns", "arn:aws:iam::111122223333:role/deploy"));
        assertThat(attached.status()).as(attached.toString()).isEqualTo(200);
        int before = AwsTestServers.sts().received().size();

        Run ok = run(server, identityId, projectId, AwsTestServers.DEPLOY_SESSION, "eu-west-1", db);

        assertThat(ok.exit()).as(ok.output()).isZero();
        assertThat(ok.result().path("loggedIn").asBoolean()).isTrue();
        assertThat(ok.result().path("renewed").asBoolean()).isTrue();
        assertThat(ok.result().path("secrets").toString())
                .contains("\"key\":\"" + key + "\"")
                .contains("\"value\":\"from-aws-login\"");
        assertThat(AwsTestServers.sts()
                        .received()
                        .subList(before, AwsTestServers.sts().received().size()))
                .containsExactly(new StsStandIn.Received("sts.eu-west-1.amazonaws.com", "/", 200, null));

        Run refused = run(server, identityId, projectId, AwsTestServers.CI_USER, "eu-west-1", db);

        assertThat(refused.exit()).as(refused.output()).isEqualTo(1);
        assertThat(refused.result().path("error").asString())
                .contains("StatusCode=401")
                .contains("AWS principal ARN not allowed");
    }
}
