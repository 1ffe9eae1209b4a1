package dev.keyhaven.server.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Health, metrics, the OpenAPI document, bootstrap refusal, and logs that never carry secrets. */
@ExtendWith(OutputCaptureExtension.class)
class PlatformApiTest {

    @Test
    void statusAndApiDocsArePublicMetricsOnTheManagementPort() {
        Api anon = TestServers.shared(Db.SQLITE).anonymous();
        Res status = anon.get("/api/status");
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.body().path("database").asString()).isEqualTo("up");
        Res docs = anon.get("/api/docs/openapi.json");
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.body().path("paths").has("/api/v3/secrets/raw")).isTrue();
        assertThat(docs.body().path("paths").has("/api/v1/auth/universal-auth/login"))
                .isTrue();
        assertThat(docs.raw()).doesNotContain("\"name\":\"actor\"");
        Res metrics = TestServers.shared(Db.SQLITE).management().raw("GET", "/actuator/prometheus", null, null);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(anon.raw("GET", "/actuator/prometheus", null, null).status())
                .as("metrics are on the management port only")
                .isEqualTo(404);
        assertThat(metrics.raw()).contains("http_server_requests_seconds");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void statusSaysWhetherOutgoingMailIsConfigured(Db db) {
        // the shared servers send mail to the test SMTP server
        Res configured = TestServers.shared(db).anonymous().get("/api/status");
        assertThat(configured.status()).isEqualTo(200);
        assertThat(configured.body().path("emailConfigured").isBoolean()).isTrue();
        assertThat(configured.body().path("emailConfigured").asBoolean()).isTrue();
    }

    @Test
    void statusSaysWhenOutgoingMailIsNotConfigured() {
        try (TestServer noMail = TestServers.fresh(Db.SQLITE, "--keyhaven.smtp.host=")) {
            Res status = noMail.anonymous().get("/api/status");
            assertThat(status.status()).isEqualTo(200);
            assertThat(status.body().path("emailConfigured").isBoolean()).isTrue();
            assertThat(status.body().path("emailConfigured").asBoolean()).isFalse();
        }
    }

    @Test
    void bootstrapIsRefusedOnceSetUp() {
        TestServer server = TestServers.shared(Db.POSTGRESQL);
        Res again = server.anonymous()
                .post(
                        "/api/v1/admin/bootstrap",
                        Map.of(
                                "email",
                                "other@keyhaven.test",
                                "password",
                                "another long password",
                                "organization",
                                "Again"));
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.body().path("error").asString()).isEqualTo("BadRequest");
    }

    @Test
    void bootstrapReturnsTheDocumentedShape() {
        try (TestServer fresh = TestServers.fresh(Db.SQLITE)) {
            Res res = fresh.anonymous()
                    .post(
                            "/api/v1/admin/bootstrap",
                            Map.of(
                                    "email",
                                    "Root@Example.com",
                                    "password",
                                    "a sufficiently long password",
                                    "organization",
                                    "Acme"));
            assertThat(res.status()).as(res.toString()).isEqualTo(200);
            assertThat(res.body().path("user").path("email").asString()).isEqualTo("root@example.com");
            assertThat(res.body().path("user").path("superAdmin").asBoolean()).isTrue();
            assertThat(res.body().path("organization").path("slug").asString()).isEqualTo("acme");
            String token = res.body()
                    .path("identity")
                    .path("credentials")
                    .path("token")
                    .asString();
            assertThat(token).doesNotStartWith("st.").hasSizeGreaterThan(40);
            assertThat(fresh.as(token)
                            .post("/api/v2/workspace", Map.of("projectName", "first"))
                            .status())
                    .isEqualTo(200);
            assertThat(res.raw()).doesNotContain("sufficiently long password");
        }
    }

    @Test
    void logsNeverContainSecretValuesOrTokens(CapturedOutput output) {
        TestServer server = TestServers.shared(Db.SQLITE);
        Fixtures f = new Fixtures(server);
        String p = f.project();
        String marker = "LOG-MARKER-" + UUID.randomUUID();
        Fixtures.Machine m = f.identity(p, "member");
        m.api()
                .post(
                        "/api/v3/secrets/raw/LOGGED",
                        Map.of("workspaceId", p, "environment", "dev", "secretValue", marker));
        m.api().get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev", "expandSecretReferences", "true");
        m.api()
                .post(
                        "/api/v3/secrets/raw/LOGGED",
                        Map.of("workspaceId", p, "environment", "dev", "secretValue", marker));
        m.api()
                .post(
                        "/api/v3/secrets/batch/raw",
                        Map.of(
                                "workspaceId",
                                p,
                                "environment",
                                "dev",
                                "secrets",
                                List.of(Map.of("secretKey", "bad key", "secretValue", marker))));
        server.anonymous()
                .post("/api/v1/auth/universal-auth/login", Map.of("clientId", m.clientId(), "clientSecret", marker));
        server.anonymous()
                .post(
                        "/api/v1/auth/universal-auth/login",
                        Map.of("clientId", m.clientId(), "clientSecret", m.clientSecret()));
        assertThat(output.getAll())
                .doesNotContain(marker)
                .doesNotContain(m.token())
                .doesNotContain(m.clientSecret());
    }
}
