package dev.keyhaven.server.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.SoftHsm;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A whole server on each database with its root key in a PKCS#11 token (SoftHSM2) or in AWS KMS
 * (a loopback stand-in that checks SigV4): a secret written before a restart reads back after it,
 * no root key file is made, another key is refused as not matching the data, and a label the
 * token does not hold stops start-up without making a key.
 */
class RootKeyProviderServerTest {

    @ParameterizedTest
    @EnumSource(Db.class)
    void aSecretSurvivesARestartWithTheRootKeyInAPkcs11Token(Db db) throws Exception {
        String label = SoftHsm.newLabel();
        Started first = start(db, null, null, SoftHsm.serverArgs(label));
        String value = "hsm-sealed-" + UUID.randomUUID();
        String project;
        try (TestServer server = first.server()) {
            server.admin = TestServers.bootstrap(server);
            project = new Fixtures(server).project();
            Res put = server.admin()
                    .post(
                            "/api/v3/secrets/raw/HSM_SECRET",
                            Map.of("workspaceId", project, "environment", "dev", "secretValue", value));
            assertThat(put.status()).as(put.toString()).isEqualTo(200);
        }
        assertThat(first.server().dataDir.resolve("root.key")).doesNotExist();

        try (TestServer again = start(db, first.server().dbUrl, first.server().dataDir, SoftHsm.serverArgs(label))
                .server()) {
            again.admin = first.server().admin;
            Res read =
                    again.admin().get("/api/v3/secrets/raw/HSM_SECRET", "workspaceId", project, "environment", "dev");
            assertThat(read.status()).as(read.toString()).isEqualTo(200);
            assertThat(read.body().path("secret").path("secretValue").asString())
                    .isEqualTo(value);
        }

        // another key in the same token does not match the data
        String otherLabel = SoftHsm.newLabel();
        new Pkcs11RootKeyProvider(settings(otherLabel)).generate().orElseThrow();
        assertThatThrownBy(
                        () -> start(db, first.server().dbUrl, first.server().dataDir, SoftHsm.serverArgs(otherLabel)))
                .rootCause()
                .hasMessageContaining("does not match the data");

        // a label the token does not hold: no key is made for data an existing key protects
        String missing = SoftHsm.newLabel();
        assertThatThrownBy(() -> start(db, first.server().dbUrl, first.server().dataDir, SoftHsm.serverArgs(missing)))
                .rootCause()
                .hasMessageContaining("no root key for the existing data")
                .hasMessageContaining("holds no key labelled '" + missing + "'");
        assertThat(new Pkcs11RootKeyProvider(settings(missing)).load()).isEmpty();
        assertThat(first.server().dataDir.resolve("root.key")).doesNotExist();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aSecretSurvivesARestartWithTheRootKeyInAwsKms(Db db) throws Exception {
        try (KmsStandIn kms = AwsKmsRootKeyProviderTest.standIn()) {
            String keyId = kms.createKey();
            String[] args = awsArgs(kms.url(), keyId);
            Started first = start(db, null, null, args);
            String value = "kms-sealed-" + UUID.randomUUID();
            String project;
            try (TestServer server = first.server()) {
                server.admin = TestServers.bootstrap(server);
                project = new Fixtures(server).project();
                Res put = server.admin()
                        .post(
                                "/api/v3/secrets/raw/KMS_SECRET",
                                Map.of("workspaceId", project, "environment", "dev", "secretValue", value));
                assertThat(put.status()).as(put.toString()).isEqualTo(200);
            }
            assertThat(first.server().dataDir.resolve("root.key")).doesNotExist();

            try (TestServer again = start(db, first.server().dbUrl, first.server().dataDir, args)
                    .server()) {
                again.admin = first.server().admin;
                Res read = again.admin()
                        .get("/api/v3/secrets/raw/KMS_SECRET", "workspaceId", project, "environment", "dev");
                assertThat(read.status()).as(read.toString()).isEqualTo(200);
                assertThat(read.body().path("secret").path("secretValue").asString())
                        .isEqualTo(value);
            }
            // another KMS key does not match the data
            String[] otherKey = awsArgs(kms.url(), kms.createKey());
            assertThatThrownBy(() -> start(db, first.server().dbUrl, first.server().dataDir, otherKey))
                    .rootCause()
                    .hasMessageContaining("does not match the data");
            assertThat(kms.refusedSignatures()).isZero();
        }
    }

    /** A server's settings for a key of the KMS stand-in at {@code endpoint}. */
    static String[] awsArgs(String endpoint, String keyId) {
        return new String[] {
            "--keyhaven.root-key-provider=aws-kms",
            "--keyhaven.aws-kms-key-id=" + keyId,
            "--keyhaven.aws-kms-region=" + KmsStandIn.REGION,
            "--keyhaven.aws-kms-endpoint=" + endpoint,
            "--keyhaven.aws-kms-access-key-id=" + AwsKmsRootKeyProviderTest.ACCESS_KEY,
            "--keyhaven.aws-kms-secret-access-key=" + AwsKmsRootKeyProviderTest.SECRET
        };
    }

    private record Started(TestServer server) {}

    private static Started start(Db db, String dbUrl, Path dataDir, String... providerArgs) throws Exception {
        Path dir = dataDir != null ? dataDir : Files.createTempDirectory("keyhaven-rootkey-");
        String url = dbUrl != null ? dbUrl : db == Db.SQLITE ? null : TestServers.newPgSchemaUrl();
        List<String> args = new ArrayList<>(List.of(TestServers.NO_RATE_LIMITS));
        args.addAll(List.of(providerArgs));
        return new Started(TestServers.start(db, url, dir, args.toArray(String[]::new)));
    }

    private static RootKeyProperties settings(String label) {
        return SoftHsm.settings(label);
    }
}
