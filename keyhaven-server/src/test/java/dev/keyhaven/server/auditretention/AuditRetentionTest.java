package dev.keyhaven.server.auditretention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Audit retention on each database: an org policy deletes older rows and keeps newer ones, a legal
 * hold suspends that until it is lifted, a project keeps its rows for less when it says so (never
 * for more than its org), each deletion is itself recorded, only admins change policies, bad input
 * changes nothing, and only one node runs the job at a time.
 */
class AuditRetentionTest {
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final String ORG_POLICY = "/api/v1/organization/audit-logs/retention";

    @ParameterizedTest
    @EnumSource(Db.class)
    void oldRowsGoUnlessHeldAndProjectsMayKeepThemForLess(Db db) {
        try (TestServer server = TestServers.fresh(db)) {
            server.admin = TestServers.bootstrap(server);
            Fixtures fx = new Fixtures(server);
            String kept = fx.project();
            String shortLived = fx.project();
            String slug = server.admin()
                    .get("/api/v1/workspace/" + shortLived)
                    .body()
                    .path("workspace")
                    .path("slug")
                    .asString();
            String org = server.admin.orgId();
            long now = System.currentTimeMillis();
            insert(server, org, null, now - 40 * DAY, "old-org");
            insert(server, org, kept, now - 40 * DAY, "old-kept-project");
            insert(server, org, kept, now - 10 * DAY, "recent-kept-project");
            insert(server, org, shortLived, now - 10 * DAY, "recent-short-project");
            insert(server, org, shortLived, now - 1 * DAY, "fresh-short-project");

            Res policy =
                    server.admin().send("PUT", ORG_POLICY, Map.of("retentionDays", 30, "legalHold", true), Map.of());
            assertThat(policy.status()).as(policy.toString()).isEqualTo(200);
            assertThat(policy.body()
                            .path("retention")
                            .path("effectiveRetentionDays")
                            .asInt())
                    .isEqualTo(30);
            AuditRetentionJob job = server.bean(AuditRetentionJob.class);
            assertThat(job.runOnce()).as("a legal hold suspends deletion").isZero();
            assertThat(markers(server, org)).contains("old-org", "old-kept-project");

            Res lift =
                    server.admin().send("PUT", ORG_POLICY, Map.of("retentionDays", 30, "legalHold", false), Map.of());
            assertThat(lift.status()).as(lift.toString()).isEqualTo(200);
            Res longer = server.admin()
                    .send(
                            "PUT",
                            "/api/v1/workspace/" + slug + "/audit-logs-retention",
                            Map.of("auditLogsRetentionDays", 31),
                            Map.of());
            assertThat(longer.status())
                    .as("a project never keeps rows longer than its org")
                    .isEqualTo(422);
            Res shorter = server.admin()
                    .send(
                            "PUT",
                            "/api/v1/workspace/" + slug + "/audit-logs-retention",
                            Map.of("auditLogsRetentionDays", 7),
                            Map.of());
            assertThat(shorter.status()).as(shorter.toString()).isEqualTo(200);
            assertThat(shorter.body()
                            .path("workspace")
                            .path("auditLogsRetentionDays")
                            .asInt())
                    .isEqualTo(7);

            assertThat(job.runOnce()).isEqualTo(3);
            assertThat(markers(server, org))
                    .contains("recent-kept-project", "fresh-short-project")
                    .doesNotContain("old-org", "old-kept-project", "recent-short-project");
            Map<String, Long> deleted = deletions(server, org);
            assertThat(deleted).containsEntry("org", 2L).containsEntry(shortLived, 1L);
            assertThat(job.runOnce()).as("a second run finds nothing more").isZero();

            assertThat(events(server, org, "update-audit-retention")).isEqualTo(2);
            assertThat(events(server, org, "update-project-audit-retention")).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void onlyAdminsChangePoliciesAndBadInputChangesNothing(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures fx = new Fixtures(server);
        String project = fx.project();
        String slug = server.admin()
                .get("/api/v1/workspace/" + project)
                .body()
                .path("workspace")
                .path("slug")
                .asString();
        Fixtures.Machine viewer = fx.identity(project, "viewer");
        assertThat(viewer.api()
                        .send("PUT", ORG_POLICY, Map.of("retentionDays", 1), Map.of())
                        .status())
                .isEqualTo(403);
        assertThat(viewer.api()
                        .send(
                                "PUT",
                                "/api/v1/workspace/" + slug + "/audit-logs-retention",
                                Map.of("auditLogsRetentionDays", 1),
                                Map.of())
                        .status())
                .isEqualTo(403);
        Res before = server.admin().get(ORG_POLICY);
        for (Object bad : new Object[] {0, -1, 36_501, "thirty"}) {
            Map<String, Object> body = new HashMap<>();
            body.put("retentionDays", bad);
            Res res = server.admin().send("PUT", ORG_POLICY, body, Map.of());
            assertThat(res.status()).as(bad + ": " + res).isEqualTo(422);
        }
        Res noBody =
                server.admin().send("PUT", "/api/v1/workspace/" + slug + "/audit-logs-retention", Map.of(), Map.of());
        assertThat(noBody.status()).isEqualTo(422);
        assertThat(server.admin().get(ORG_POLICY).body()).isEqualTo(before.body());
        Res other = server.admin()
                .get("/api/v1/workspace/no-such-project-"
                        + UUID.randomUUID().toString().substring(0, 8) + "/audit-logs-retention");
        assertThat(other.status()).isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void oneNodeAtATimeHoldsTheJob(Db db) {
        TestServer server = TestServers.shared(db);
        RetentionStore store = server.bean(RetentionStore.class);
        long now = System.currentTimeMillis();
        assertThat(store.claim("node-a", now, now + 60_000)).isTrue();
        try {
            assertThat(store.claim("node-b", now, now + 60_000)).as("taken").isFalse();
            assertThat(server.bean(AuditRetentionJob.class).runOnce())
                    .as("skipped while another node runs")
                    .isEqualTo(-1);
            assertThat(store.claim("node-a", now, now + 120_000))
                    .as("the holder renews")
                    .isTrue();
            assertThat(store.claim("node-b", now + 130_000, now + 190_000))
                    .as("an expired lease is taken over")
                    .isTrue();
        } finally {
            store.release("node-a");
            store.release("node-b");
        }
    }

    private static void insert(TestServer server, String org, String project, long at, String marker) {
        server.bean(JdbcClient.class)
                .sql("INSERT INTO audit_logs (id, org_id, project_id, actor_type, actor_metadata, event_type, "
                        + "event_metadata, created_at) VALUES (?,?,?,?,?,?,?,?)")
                .params(
                        UUID.randomUUID().toString(),
                        org,
                        project,
                        "platform",
                        "{}",
                        "get-secrets",
                        "{\"marker\":\"" + marker + "\"}",
                        at)
                .update();
    }

    private static java.util.List<String> markers(TestServer server, String org) {
        return server
                .bean(JdbcClient.class)
                .sql("SELECT event_metadata FROM audit_logs WHERE org_id = ? AND event_metadata LIKE '%marker%'")
                .param(org)
                .query(String.class)
                .list()
                .stream()
                .map(m -> m.replaceAll(".*\"marker\":\"([^\"]+)\".*", "$1"))
                .toList();
    }

    /** The counts the deletion events recorded, by project id ("org" for the org-wide one). */
    private static Map<String, Long> deletions(TestServer server, String org) {
        Map<String, Long> out = new HashMap<>();
        server.bean(JdbcClient.class)
                .sql(
                        "SELECT project_id, event_metadata FROM audit_logs WHERE org_id = ? AND event_type = 'audit-logs-deleted'")
                .param(org)
                .query(rs -> {
                    String meta = rs.getString(2);
                    long count = Long.parseLong(meta.replaceAll(".*\"count\":(\\d+).*", "$1"));
                    out.merge(rs.getString(1) == null ? "org" : rs.getString(1), count, Long::sum);
                });
        return out;
    }

    private static long events(TestServer server, String org, String type) {
        return server.bean(JdbcClient.class)
                .sql("SELECT COUNT(*) FROM audit_logs WHERE org_id = ? AND event_type = ?")
                .params(org, type)
                .query(Long.class)
                .single();
    }
}
