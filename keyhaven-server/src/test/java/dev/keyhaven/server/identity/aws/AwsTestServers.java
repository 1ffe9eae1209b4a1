package dev.keyhaven.server.identity.aws;

import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Map;

/**
 * One STS stand-in and, per database, one bootstrapped server whose
 * {@code KEYHAVEN_AWS_STS_ENDPOINT_TEMPLATE} points at it, shared by the AWS-auth tests of a run.
 * The stand-in knows the principals below.
 */
public final class AwsTestServers {
    public static final String ACCOUNT = "111122223333";
    public static final String OTHER_ACCOUNT = "444455556666";
    /** IAM user {@code arn:aws:iam::111122223333:user/ci}. */
    public static final AwsSigning.Credentials CI_USER =
            new AwsSigning.Credentials("AKIAKEYHAVENCIUSER01", "ciUserSecretKey/0123456789abcdefghijKLMNOP", null);
    /** IAM user {@code arn:aws:iam::111122223333:user/ops/bob} (with a path). */
    public static final AwsSigning.Credentials BOB =
            new AwsSigning.Credentials("AKIAKEYHAVENBOBUSR02", "bobSecretKey/0123456789abcdefghijKLMNOPQRS", null);
    /** A session of role deploy: {@code arn:aws:sts::111122223333:assumed-role/deploy/i-0abc123}. */
    public static final AwsSigning.Credentials DEPLOY_SESSION = new AwsSigning.Credentials(
            "ASIAKEYHAVENDEPLOY03",
            "deploySessionSecret/0123456789abcdefghijKLM",
            "IQoJb3JpZ2luX2VjEKEYHAVENdeploySessionToken//0123456789=");
    /** IAM user {@code arn:aws:iam::444455556666:user/ci} of another account. */
    public static final AwsSigning.Credentials STRANGER =
            new AwsSigning.Credentials("AKIAKEYHAVENSTRANGR4", "strangerSecretKey/0123456789abcdefghijKLMN", null);

    private static StsStandIn sts;
    private static final Map<Db, TestServer> SERVERS = new EnumMap<>(Db.class);

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(AwsTestServers::stop, "aws-test-servers-stop"));
    }

    private AwsTestServers() {}

    public static synchronized StsStandIn sts() {
        if (sts == null) {
            try {
                sts = new StsStandIn()
                        .add(new StsStandIn.Principal(
                                CI_USER, ACCOUNT, "arn:aws:iam::111122223333:user/ci", "AIDAKEYHAVENCIUSER01"))
                        .add(new StsStandIn.Principal(
                                BOB, ACCOUNT, "arn:aws:iam::111122223333:user/ops/bob", "AIDAKEYHAVENBOBUSR02"))
                        .add(new StsStandIn.Principal(
                                DEPLOY_SESSION,
                                ACCOUNT,
                                "arn:aws:sts::111122223333:assumed-role/deploy/i-0abc123",
                                "AROAKEYHAVENDEPLOY:i-0abc123"))
                        .add(new StsStandIn.Principal(
                                STRANGER, OTHER_ACCOUNT, "arn:aws:iam::444455556666:user/ci", "AIDAKEYHAVENSTRANGR4"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sts;
    }

    /** The bootstrapped server for {@code db} that sends STS calls to {@link #sts()}. */
    public static synchronized TestServer server(Db db) {
        return SERVERS.computeIfAbsent(db, d -> {
            TestServer server = TestServers.fresh(d, "--keyhaven.aws-sts-endpoint-template=" + sts().url());
            server.admin = TestServers.bootstrap(server);
            return server;
        });
    }

    private static synchronized void stop() {
        SERVERS.values().forEach(s -> {
            try {
                s.close();
            } catch (RuntimeException ignored) {
                // shutting down anyway
            }
        });
        if (sts != null) {
            sts.close();
        }
    }
}
