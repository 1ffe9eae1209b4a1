package dev.keyhaven.server.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The root key in AWS KMS (a loopback stand-in that checks SigV4), unwrapped keys kept in memory
 * for one second: disabling the KMS key makes the data unreadable within that bound (crypto-
 * shredding: reads and writes answer 503 {@code KeyServiceUnavailable} with {@code Retry-After},
 * never a value, and nothing is written), enabling it makes the same data readable again, and a
 * KMS that cannot be reached answers the same 503, not a corruption error.
 */
class KeyAvailabilityTest {
    private static final String SECRETS = "/api/v3/secrets/raw/SHREDDABLE";

    @ParameterizedTest
    @EnumSource(Db.class)
    void aDisabledKmsKeyMakesTheDataUnreadableUntilItIsEnabledAgain(Db db) throws Exception {
        KmsStandIn kms = AwsKmsRootKeyProviderTest.standIn();
        String keyId = kms.createKey();
        String url = db == Db.SQLITE ? null : TestServers.newPgSchemaUrl();
        try (TestServer server =
                TestServers.start(db, url, Files.createTempDirectory("keyhaven-kms-"), args(kms, keyId))) {
            server.admin = TestServers.bootstrap(server);
            String project = new Fixtures(server).project();
            String value = "shreddable-" + UUID.randomUUID();
            Res put = server.admin()
                    .post(SECRETS, Map.of("workspaceId", project, "environment", "dev", "secretValue", value));
            assertThat(put.status()).as(put.toString()).isEqualTo(200);

            kms.disable(keyId);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertUnavailable(read(server, project), value));
            Res write = server.admin()
                    .patch(SECRETS, Map.of("workspaceId", project, "environment", "dev", "secretValue", "changed"));
            assertUnavailable(write, value);

            kms.enable(keyId);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Res read = read(server, project);
                assertThat(read.status()).as(read.toString()).isEqualTo(200);
                assertThat(read.body().path("secret").path("secretValue").asString())
                        .as("the refused write changed nothing")
                        .isEqualTo(value);
                assertThat(read.body().path("secret").path("version").asInt()).isEqualTo(1);
            });

            kms.close();
            await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> assertUnavailable(read(server, project), value));
        } finally {
            kms.close();
        }
    }

    private static void assertUnavailable(Res res, String value) {
        assertThat(res.status()).as(res.toString()).isEqualTo(503);
        assertThat(res.body().path("error").asString()).isEqualTo("KeyServiceUnavailable");
        assertThat(res.header("Retry-After")).isEqualTo("5");
        assertThat(res.raw()).doesNotContain(value).doesNotContain("arn:aws");
    }

    private static Res read(TestServer server, String project) {
        return server.admin().get(SECRETS, "workspaceId", project, "environment", "dev");
    }

    private static String[] args(KmsStandIn kms, String keyId) {
        List<String> args = new ArrayList<>(List.of(TestServers.NO_RATE_LIMITS));
        args.addAll(List.of(RootKeyProviderServerTest.awsArgs(kms.url(), keyId)));
        args.addAll(List.of("--keyhaven.key-cache-seconds=1", "--keyhaven.read-cache.seconds=0"));
        return args.toArray(String[]::new);
    }
}
