package dev.keyhaven.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * Project trusted IPs through the API on both databases: Infisical's routes and shapes, validation,
 * the {@code ip-allowlist} permission, and enforcement on every project route. The test client
 * reaches the server over IPv4 loopback (127.0.0.1) and, for the address inside the allowlist,
 * over IPv6 loopback (::1).
 */
class ProjectTrustedIpApiTest {
    private static final String AUDIT = "/api/v1/organization/audit-logs";

    private static String v1(String projectId) {
        return "/api/v1/projects/" + projectId + "/trusted-ips";
    }

    private static String workspace(String projectId) {
        return "/api/v1/workspace/" + projectId + "/trusted-ips";
    }

    /** The admin, connecting from ::1 instead of 127.0.0.1. */
    private static Api adminOverIpv6(TestServer server) {
        return new Api(server.baseUrl.replace("127.0.0.1", "[::1]"), server.admin.token());
    }

    private static JsonNode created(Res res) {
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return res.body().path("trustedIp");
    }

    private static Res readSecret(Api api, String projectId) {
        return api.get("/api/v3/secrets/raw/GUARDED", "workspaceId", projectId, "environment", "dev");
    }

    private static String since() {
        return Instant.now().minus(5, ChronoUnit.MINUTES).toString();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void entriesAreAddedListedChangedAndRemovedWithInfisicalShapes(Db db) {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        String p = new Fixtures(server).project();
        String start = since();

        JsonNode v4 = created(
                admin.post(workspace(p), Map.of("ipAddress", "10.0.0.0/8", "comment", "office", "isActive", false)));
        JsonNode v6 = created(admin.post(v1(p), Map.of("ipAddress", "2001:db8::/32", "isActive", false)));
        JsonNode single = created(admin.post(v1(p), Map.of("ipAddress", " 198.51.100.7 ", "isActive", false)));

        assertThat(v4.path("ipAddress").asString()).isEqualTo("10.0.0.0");
        assertThat(v4.path("type").asString()).isEqualTo("ipv4");
        assertThat(v4.path("prefix").asInt()).isEqualTo(8);
        assertThat(v4.path("isActive").asBoolean()).isFalse();
        assertThat(v4.path("comment").asString()).isEqualTo("office");
        assertThat(v4.path("projectId").asString()).isEqualTo(p);
        assertThat(v4.path("createdAt").asString()).endsWith("Z");
        assertThat(v4.path("updatedAt").asString()).endsWith("Z");
        assertThat(v6.path("type").asString()).isEqualTo("ipv6");
        assertThat(v6.path("prefix").asInt()).isEqualTo(32);
        assertThat(v6.path("comment").asString()).isEmpty();
        assertThat(single.path("ipAddress").asString()).isEqualTo("198.51.100.7");
        assertThat(single.path("prefix").isNull()).isTrue();

        Res list = admin.get(workspace(p));
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        assertThat(list.body()
                        .path("trustedIps")
                        .valueStream()
                        .map(n -> n.path("id").asString())
                        .toList())
                .containsExactly(
                        v4.path("id").asString(),
                        v6.path("id").asString(),
                        single.path("id").asString());

        Res patched = admin.patch(
                v1(p) + "/" + v4.path("id").asString(), Map.of("ipAddress", "10.1.0.0/16", "comment", "vpn"));
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.body().path("trustedIp").path("ipAddress").asString())
                .isEqualTo("10.1.0.0");
        assertThat(patched.body().path("trustedIp").path("prefix").asInt()).isEqualTo(16);
        assertThat(patched.body().path("trustedIp").path("comment").asString()).isEqualTo("vpn");
        assertThat(patched.body().path("trustedIp").path("isActive").asBoolean())
                .as("unchanged")
                .isFalse();

        Res deleted = admin.delete(workspace(p) + "/" + v6.path("id").asString(), null);
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(deleted.body().path("trustedIp").path("id").asString())
                .isEqualTo(v6.path("id").asString());
        assertThat(admin.get(v1(p)).body().path("trustedIps").size()).isEqualTo(2);
        assertThat(admin.delete(v1(p) + "/" + v6.path("id").asString(), null).status())
                .isEqualTo(404);

        Res audit = admin.get(
                AUDIT,
                "projectId",
                p,
                "startDate",
                start,
                "eventType",
                "add-trusted-ip,update-trusted-ip,delete-trusted-ip",
                "limit",
                50);
        assertThat(audit.body()
                        .path("auditLogs")
                        .valueStream()
                        .map(r -> r.path("event").path("type").asString())
                        .toList())
                .containsExactlyInAnyOrder(
                        "add-trusted-ip", "add-trusted-ip", "add-trusted-ip", "update-trusted-ip", "delete-trusted-ip");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void addressesThatDoNotParseAreRefusedAndNothingIsStored(Db db) {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        String p = new Fixtures(server).project();

        for (String bad : List.of("not-an-ip", "10.0.0.0/33", "300.1.1.1", "::1/129", "example.com", "10.0.0.1 /8")) {
            Res res = admin.post(v1(p), Map.of("ipAddress", bad));
            assertThat(res.status()).as(bad + " → " + res).isEqualTo(400);
            assertThat(res.body().path("message").asString())
                    .isEqualTo("The IP is not a valid IPv4, IPv6, or CIDR block");
        }
        assertThat(admin.post(v1(p), Map.of("comment", "no address")).status()).isEqualTo(422);
        assertThat(admin.post(v1(p), Map.of("ipAddress", "")).status()).isEqualTo(422);
        assertThat(admin.post(v1(p), Map.of("ipAddress", "10.0.0.1", "comment", "x".repeat(501)))
                        .status())
                .isEqualTo(422);
        assertThat(admin.post(v1(p), Map.of("ipAddress", 42)).status()).isEqualTo(422);
        assertThat(admin.get(v1(p)).body().path("trustedIps").size()).isZero();

        String id = created(admin.post(v1(p), Map.of("ipAddress", "10.0.0.1", "isActive", false)))
                .path("id")
                .asString();
        assertThat(admin.patch(v1(p) + "/" + id, Map.of("ipAddress", "10.0.0.0/99"))
                        .status())
                .isEqualTo(400);
        assertThat(admin.patch(v1(p) + "/00000000-0000-4000-8000-000000000000", Map.of("comment", "x"))
                        .status())
                .isEqualTo(404);
        String other = new Fixtures(server).project();
        assertThat(admin.patch(v1(other) + "/" + id, Map.of("comment", "x")).status())
                .as("another project's entry")
                .isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void viewersMayListTrustedIpsButNotChangeThem(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        String p = f.project();
        Fixtures.Machine viewer = f.identity(p, "viewer");

        assertThat(viewer.api().get(v1(p)).status()).isEqualTo(200);
        Res create = viewer.api().post(v1(p), Map.of("ipAddress", "10.0.0.0/8"));
        assertThat(create.status()).as(create.toString()).isEqualTo(403);
        assertThat(create.body().path("error").asString()).isEqualTo("PermissionDenied");
        assertThat(f.otherOrgAdminToken())
                .satisfies(token -> assertThat(server.as(token).get(v1(p)).status())
                        .as("another org")
                        .isEqualTo(404));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anActiveEntryShutsOutOtherAddressesFromEveryProjectRouteAndAuditsTheRefusal(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        Api admin = server.admin();
        Api adminV6 = adminOverIpv6(server);
        String p = f.project();
        String slug = admin.get("/api/v1/projects/" + p)
                .body()
                .path("project")
                .path("slug")
                .asString();
        Fixtures.Machine member = f.identity(p, "member");
        assertThat(f.createSecret(admin, p, "dev", "/", "GUARDED", "s3cr3t-value")
                        .status())
                .isEqualTo(200);
        String start = since();

        // an IPv6 block that holds ::1 but no IPv4 address
        created(admin.post(v1(p), Map.of("ipAddress", "::/64", "comment", "ipv6 loopback only", "isActive", true)));

        Res refused = readSecret(admin, p);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.body().path("error").asString()).isEqualTo("Forbidden");
        assertThat(refused.body().path("statusCode").asInt()).isEqualTo(403);
        assertThat(refused.raw()).doesNotContain("s3cr3t-value");
        assertThat(readSecret(member.api(), p).status()).as("any actor").isEqualTo(403);
        for (Res res : List.of(
                admin.get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev"),
                admin.get("/api/v1/folders", "workspaceId", p, "environment", "dev"),
                admin.get("/api/v1/secret-imports", "workspaceId", p, "environment", "dev"),
                admin.get("/api/v2/workspace/" + p + "/identity-memberships"),
                admin.get("/api/v2/workspace/" + slug),
                admin.get(v1(p)),
                f.createSecret(admin, p, "dev", "/", "NEW_ONE", "v"))) {
            assertThat(res.status()).as(res.toString()).isEqualTo(403);
        }

        Res fromInside = readSecret(adminV6, p);
        assertThat(fromInside.status()).as(fromInside.toString()).isEqualTo(200);
        assertThat(fromInside.body().path("secret").path("secretValue").asString())
                .isEqualTo("s3cr3t-value");

        Res audit = admin.get(
                AUDIT, "projectId", p, "startDate", start, "eventType", "trusted-ip-access-denied", "limit", 100);
        assertThat(audit.status()).as(audit.toString()).isEqualTo(200);
        List<JsonNode> rows = audit.body().path("auditLogs").valueStream().toList();
        assertThat(rows).hasSizeGreaterThanOrEqualTo(9);
        JsonNode row = rows.stream()
                .filter(r -> "GET"
                                .equals(r.path("event")
                                        .path("metadata")
                                        .path("method")
                                        .asString())
                        && r.path("event")
                                .path("metadata")
                                .path("path")
                                .asString()
                                .endsWith("/GUARDED"))
                .findFirst()
                .orElseThrow();
        assertThat(row.path("ipAddress").asString()).isEqualTo("127.0.0.1");
        assertThat(row.path("event").path("metadata").path("ipAddress").asString())
                .isEqualTo("127.0.0.1");
        assertThat(row.path("projectId").asString()).isEqualTo(p);
        assertThat(audit.raw()).doesNotContain("s3cr3t-value");

        created(adminV6.post(v1(p), Map.of("ipAddress", "127.0.0.0/8", "comment", "loopback")));
        assertThat(readSecret(admin, p).status())
                .as("allowed once 127.0.0.0/8 is listed")
                .isEqualTo(200);
        assertThat(readSecret(member.api(), p).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void inactiveEntriesAreIgnored(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        Api admin = server.admin();
        String p = f.project();
        assertThat(f.createSecret(admin, p, "dev", "/", "GUARDED", "v").status())
                .isEqualTo(200);

        String id = created(admin.post(v1(p), Map.of("ipAddress", "192.0.2.0/24", "isActive", false)))
                .path("id")
                .asString();
        assertThat(readSecret(admin, p).status()).as("only an inactive entry").isEqualTo(200);

        assertThat(admin.patch(v1(p) + "/" + id, Map.of("isActive", true)).status())
                .isEqualTo(200);
        assertThat(readSecret(admin, p).status()).as("the entry is active now").isEqualTo(403);

        Res reopened = adminOverIpv6(server).patch(v1(p) + "/" + id, Map.of("isActive", false));
        assertThat(reopened.status()).as("::1 is shut out too").isEqualTo(403);
        // nobody can reach the project any more through the API; the operator removes the entry
        server.bean(org.springframework.jdbc.core.simple.JdbcClient.class)
                .sql("UPDATE project_trusted_ips SET is_active = ? WHERE id = ?")
                .params(false, id)
                .update();
        server.bean(ProjectIpAllowlist.class).invalidate(p);
        assertThat(readSecret(admin, p).status()).isEqualTo(200);
    }
}
