package dev.keyhaven.server.auditlog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.identity.MachineIdentities;
import dev.keyhaven.server.identity.MachineIdentities.UaIdentity;
import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.Fixtures.Machine;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/** {@code GET /api/v1/organization/audit-logs}: what is recorded, its shape and its filters, on both databases. */
class AuditLogApiTest {
    private static final String AUDIT = "/api/v1/organization/audit-logs";

    private static TestServer server(Db db) {
        return TestServers.shared(db);
    }

    private static Api admin(Db db) {
        return TestServers.shared(db).admin();
    }

    private static Fixtures fixtures(Db db) {
        return new Fixtures(TestServers.shared(db));
    }

    /** A start date safely before anything the test does, so no test depends on the default "since midnight". */
    private static String since() {
        return Instant.now().minus(5, ChronoUnit.MINUTES).toString();
    }

    private static List<JsonNode> logs(Api api, Object... query) {
        Res res = api.get(AUDIT, query);
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        res.body().path("auditLogs").valueStream().forEach(out::add);
        return out;
    }

    private static List<String> types(List<JsonNode> rows) {
        return rows.stream().map(r -> r.path("event").path("type").asString()).toList();
    }

    private static JsonNode first(List<JsonNode> rows, String type) {
        return rows.stream()
                .filter(r -> type.equals(r.path("event").path("type").asString()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " row in " + rows));
    }

    private static List<String> issuePath(Res res) {
        return res.body()
                .path("message")
                .get(0)
                .path("path")
                .valueStream()
                .map(JsonNode::asString)
                .toList();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void secretWritesAndReadsAreRecordedWithTheInfisicalShape(Db db) {
        Fixtures f = fixtures(db);
        String start = since();
        String p = f.project();
        Machine m = f.identity(p, "member");
        assertThat(f.createSecret(m.api(), p, "dev", "/", "AUDITED_KEY", "v").status())
                .isEqualTo(200);
        assertThat(m.api()
                        .get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev")
                        .status())
                .isEqualTo(200);
        assertThat(m.api()
                        .get("/api/v3/secrets/raw/AUDITED_KEY", "workspaceId", p, "environment", "dev")
                        .status())
                .isEqualTo(200);

        List<JsonNode> rows = logs(admin(db), "projectId", p, "startDate", start, "limit", 100);

        assertThat(types(rows)).contains("create-secret", "get-secrets", "get-secret");
        JsonNode created = first(rows, "create-secret");
        for (String field : List.of(
                "id",
                "ipAddress",
                "userAgent",
                "userAgentType",
                "createdAt",
                "orgId",
                "projectId",
                "projectName",
                "event",
                "actor")) {
            assertThat(created.has(field)).as(field + " in " + created).isTrue();
        }
        assertThat(created.path("ipAddress").asString()).isEqualTo("127.0.0.1");
        assertThat(created.path("userAgentType").asString()).isNotEmpty();
        assertThat(Instant.parse(created.path("createdAt").asString())).isAfter(Instant.parse(start));
        assertThat(created.path("orgId").asString()).isEqualTo(server(db).admin.orgId());
        assertThat(created.path("projectId").asString()).isEqualTo(p);
        assertThat(created.path("projectName").asString()).startsWith("proj-");
        JsonNode meta = created.path("event").path("metadata");
        assertThat(meta.path("environment").asString()).isEqualTo("dev");
        assertThat(meta.path("secretPath").asString()).isEqualTo("/");
        assertThat(meta.path("secretKey").asString()).isEqualTo("AUDITED_KEY");
        assertThat(meta.path("secretVersion").asInt()).isEqualTo(1);
        assertThat(meta.path("secretId").asString()).isNotEmpty();
        assertThat(created.path("actor").path("type").asString()).isEqualTo("identity");
        assertThat(created.path("actor").path("metadata").path("identityId").asString())
                .isEqualTo(m.id());
        assertThat(created.path("actor").path("metadata").path("name").asString())
                .startsWith("id-");
        JsonNode read = first(rows, "get-secrets");
        assertThat(read.path("event").path("metadata").path("environment").asString())
                .isEqualTo("dev");
        assertThat(read.path("actor").path("metadata").path("identityId").asString())
                .isEqualTo(m.id());
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void successfulAndFailedLoginsAreRecorded(Db db) {
        MachineIdentities ids = new MachineIdentities(server(db));
        String start = since();
        UaIdentity m = ids.withUa(Map.of());
        String token = ids.token(m);
        assertThat(ids.login(m.clientId(), "0".repeat(64)).status()).isEqualTo(401);

        List<JsonNode> rows = logs(
                admin(db),
                "actor",
                m.id(),
                "startDate",
                start,
                "eventType",
                "login-identity-universal-auth,login-identity-universal-auth-failed");

        assertThat(types(rows))
                .containsExactlyInAnyOrder("login-identity-universal-auth", "login-identity-universal-auth-failed");
        JsonNode ok = first(rows, "login-identity-universal-auth");
        assertThat(ok.path("orgId").asString()).isEqualTo(server(db).admin.orgId());
        assertThat(ok.path("projectId").isNull() || ok.path("projectId").isMissingNode())
                .isTrue();
        assertThat(ok.path("actor").path("type").asString()).isEqualTo("identity");
        assertThat(ok.path("actor").path("metadata").path("identityId").asString())
                .isEqualTo(m.id());
        assertThat(ok.path("actor").path("metadata").path("name").asString()).isEqualTo(m.name());
        assertThat(ok.path("event").path("metadata").path("clientSecretId").asString())
                .isEqualTo(m.clientSecretId());
        assertThat(ok.path("ipAddress").asString()).isEqualTo("127.0.0.1");
        JsonNode failed = first(rows, "login-identity-universal-auth-failed");
        assertThat(failed.path("actor").path("metadata").path("identityId").asString())
                .isEqualTo(m.id());
        Res raw = admin(db).get(AUDIT, "actor", m.id(), "startDate", start, "limit", 1000);
        assertThat(raw.raw()).doesNotContain(m.clientSecret()).doesNotContain(token);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aSecretValueNeverAppearsInTheAuditLog(Db db) {
        Fixtures f = fixtures(db);
        Api api = admin(db);
        String start = since();
        String p = f.project();
        String created = "created-" + UUID.randomUUID();
        String updated = "updated-" + UUID.randomUUID();
        String batch = "batch-" + UUID.randomUUID();
        assertThat(f.createSecret(api, p, "dev", "/", "LEAK_CHECK", created).status())
                .isEqualTo(200);
        assertThat(api.patch(
                                "/api/v3/secrets/raw/LEAK_CHECK",
                                Map.of("workspaceId", p, "environment", "dev", "secretValue", updated))
                        .status())
                .isEqualTo(200);
        Res batchRes = api.post(
                "/api/v4/secrets/batch",
                Map.of(
                        "projectId",
                        p,
                        "environment",
                        "dev",
                        "secretPath",
                        "/",
                        "secrets",
                        List.of(
                                Map.of("secretKey", "LEAK_A", "secretValue", batch),
                                Map.of("secretKey", "LEAK_B", "secretValue", batch))));
        assertThat(batchRes.status()).as(batchRes.toString()).isEqualTo(200);
        assertThat(api.get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev")
                        .raw())
                .contains(updated);
        assertThat(api.get("/api/v3/secrets/raw/LEAK_CHECK", "workspaceId", p, "environment", "dev")
                        .raw())
                .contains(updated);

        Res res = api.get(AUDIT, "projectId", p, "startDate", start, "limit", 1000);

        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        assertThat(types(res.body().path("auditLogs").valueStream().toList()))
                .contains("create-secret", "update-secret", "create-secrets", "get-secrets", "get-secret");
        assertThat(res.raw()).contains("LEAK_CHECK").contains("LEAK_A");
        assertThat(res.raw()).doesNotContain(created).doesNotContain(updated).doesNotContain(batch);
        Res everything = api.get(AUDIT, "startDate", start, "limit", 1000);
        assertThat(everything.raw())
                .doesNotContain(created)
                .doesNotContain(updated)
                .doesNotContain(batch);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void eventTypeFilterTakesOneTypeOrACommaList(Db db) {
        Fixtures f = fixtures(db);
        String start = since();
        String p = f.project();
        f.createSecret(admin(db), p, "dev", "/", "ONE", "1");
        admin(db).get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev");
        admin(db).post("/api/v1/folders", Map.of("workspaceId", p, "environment", "dev", "path", "/", "name", "f1"));

        List<JsonNode> creates = logs(admin(db), "projectId", p, "startDate", start, "eventType", "create-secret");
        List<JsonNode> two =
                logs(admin(db), "projectId", p, "startDate", start, "eventType", "create-secret,get-secrets");
        List<JsonNode> all = logs(admin(db), "projectId", p, "startDate", start, "limit", 100);

        assertThat(types(creates)).containsExactly("create-secret");
        assertThat(types(two)).containsExactlyInAnyOrder("create-secret", "get-secrets");
        assertThat(types(all)).contains("create-secret", "get-secrets", "create-folder");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void projectIdFilterShowsOnlyThatProject(Db db) {
        Fixtures f = fixtures(db);
        String start = since();
        String p1 = f.project();
        String p2 = f.project();
        f.createSecret(admin(db), p1, "dev", "/", "IN_ONE", "1");
        f.createSecret(admin(db), p2, "dev", "/", "IN_TWO", "2");

        List<JsonNode> rows = logs(admin(db), "projectId", p1, "startDate", start, "limit", 100);

        assertThat(rows).isNotEmpty();
        assertThat(rows)
                .allSatisfy(r -> assertThat(r.path("projectId").asString()).isEqualTo(p1));
        assertThat(rows.stream()
                        .map(r -> r.path("event")
                                .path("metadata")
                                .path("secretKey")
                                .asString()))
                .contains("IN_ONE")
                .doesNotContain("IN_TWO");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void actorFilterShowsOnlyThatActor(Db db) {
        Fixtures f = fixtures(db);
        String start = since();
        String p = f.project();
        Machine a = f.identity(p, "member");
        Machine b = f.identity(p, "member");
        f.createSecret(a.api(), p, "dev", "/", "BY_A", "a");
        f.createSecret(b.api(), p, "dev", "/", "BY_B", "b");

        List<JsonNode> rows = logs(admin(db), "actor", a.id(), "startDate", start, "limit", 100);

        assertThat(types(rows)).contains("create-secret", "login-identity-universal-auth");
        assertThat(rows)
                .allSatisfy(r -> assertThat(r.path("actor")
                                .path("metadata")
                                .path("identityId")
                                .asString())
                        .isEqualTo(a.id()));
        assertThat(rows.stream()
                        .map(r -> r.path("event")
                                .path("metadata")
                                .path("secretKey")
                                .asString()))
                .contains("BY_A")
                .doesNotContain("BY_B");
        List<JsonNode> identities =
                logs(admin(db), "actorType", "identity", "projectId", p, "startDate", start, "limit", 100);
        assertThat(identities)
                .isNotEmpty()
                .allSatisfy(
                        r -> assertThat(r.path("actor").path("type").asString()).isEqualTo("identity"));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void startAndEndDateBoundTheRows(Db db) {
        Fixtures f = fixtures(db);
        Instant before = Instant.now().minusSeconds(1);
        String p = f.project();
        f.createSecret(admin(db), p, "dev", "/", "DATED", "d");
        Instant after = Instant.now().plusSeconds(1);

        List<JsonNode> inside =
                logs(admin(db), "projectId", p, "startDate", before.toString(), "endDate", after.toString());
        List<JsonNode> earlier = logs(
                admin(db),
                "projectId",
                p,
                "startDate",
                before.minusSeconds(3600).toString(),
                "endDate",
                before.toString());
        List<JsonNode> later = logs(
                admin(db),
                "projectId",
                p,
                "startDate",
                after.toString(),
                "endDate",
                after.plusSeconds(3600).toString());

        assertThat(types(inside)).contains("create-secret");
        assertThat(earlier).isEmpty();
        assertThat(later).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void limitAndOffsetPageThroughNewestFirst(Db db) {
        Fixtures f = fixtures(db);
        String start = since();
        String p = f.project();
        for (String key : List.of("PAGE_A", "PAGE_B", "PAGE_C")) {
            f.createSecret(admin(db), p, "dev", "/", key, "x");
        }
        Object[] base = {"projectId", p, "startDate", start, "eventType", "create-secret"};

        List<JsonNode> all = logs(admin(db), with(base, "limit", 10));
        List<JsonNode> page1 = logs(admin(db), with(base, "limit", 2));
        List<JsonNode> page2 = logs(admin(db), with(base, "limit", 2, "offset", 2));
        List<JsonNode> beyond = logs(admin(db), with(base, "limit", 2, "offset", 3));

        assertThat(all).hasSize(3);
        assertThat(page1).hasSize(2);
        assertThat(page2).hasSize(1);
        assertThat(beyond).isEmpty();
        Set<String> seen = new HashSet<>();
        page1.forEach(r -> seen.add(r.path("id").asString()));
        page2.forEach(r -> seen.add(r.path("id").asString()));
        assertThat(seen)
                .containsExactlyInAnyOrderElementsOf(
                        all.stream().map(r -> r.path("id").asString()).toList());
        for (int i = 1; i < all.size(); i++) {
            assertThat(Instant.parse(all.get(i - 1).path("createdAt").asString()))
                    .isAfterOrEqualTo(Instant.parse(all.get(i).path("createdAt").asString()));
        }
    }

    private static Object[] with(Object[] base, Object... more) {
        Object[] out = new Object[base.length + more.length];
        System.arraycopy(base, 0, out, 0, base.length);
        System.arraycopy(more, 0, out, base.length, more.length);
        return out;
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void userAgentTypeIsDerivedAndFilterable(Db db) {
        Fixtures f = fixtures(db);
        String start = since();
        String p = f.project();
        f.createSecret(admin(db), p, "dev", "/", "UA_KEY", "x");
        Res cli = admin(db)
                .getWithHeaders(
                        "/api/v3/secrets/raw" + Api.query("workspaceId", p, "environment", "dev"),
                        Map.of("User-Agent", "keyhaven-cli/0.1"));
        assertThat(cli.status()).as(cli.toString()).isEqualTo(200);

        List<JsonNode> rows = logs(admin(db), "projectId", p, "startDate", start, "userAgentType", "cli");

        assertThat(types(rows)).containsExactly("get-secrets");
        assertThat(rows.get(0).path("userAgent").asString()).isEqualTo("keyhaven-cli/0.1");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anEndDateBeforeTheStartDateIs422(Db db) {
        Instant now = Instant.now();

        Res res = admin(db)
                .get(
                        AUDIT,
                        "startDate",
                        now.toString(),
                        "endDate",
                        now.minusSeconds(60).toString());

        assertThat(res.status()).as(res.toString()).isEqualTo(422);
        assertThat(res.body().path("error").asString()).isEqualTo("ValidationFailure");
        assertThat(issuePath(res)).containsExactly("endDate");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void badQueryValuesAre422NamingTheParameter(Db db) {
        Instant now = Instant.now();
        Res tooLong = admin(db)
                .get(AUDIT, "startDate", now.minus(200, ChronoUnit.DAYS).toString(), "endDate", now.toString());
        Res notADate = admin(db).get(AUDIT, "startDate", "yesterday");
        Res limitZero = admin(db).get(AUDIT, "limit", 0);
        Res limitHuge = admin(db).get(AUDIT, "limit", 1001);
        Res offsetText = admin(db).get(AUDIT, "offset", "ten");
        Res envWithoutProject = admin(db).get(AUDIT, "environment", "dev");

        assertThat(tooLong.status()).as(tooLong.toString()).isEqualTo(422);
        assertThat(notADate.status()).as(notADate.toString()).isEqualTo(422);
        assertThat(issuePath(notADate)).containsExactly("startDate");
        assertThat(limitZero.status()).as(limitZero.toString()).isEqualTo(422);
        assertThat(issuePath(limitZero)).containsExactly("limit");
        assertThat(limitHuge.status()).as(limitHuge.toString()).isEqualTo(422);
        assertThat(issuePath(limitHuge)).containsExactly("limit");
        assertThat(offsetText.status()).as(offsetText.toString()).isEqualTo(422);
        assertThat(issuePath(offsetText)).containsExactly("offset");
        assertThat(envWithoutProject.status()).as(envWithoutProject.toString()).isEqualTo(422);
        assertThat(issuePath(envWithoutProject)).containsExactly("environment");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void offsetsOutOfRangeAre422InsteadOfAnEndlessQuery(Db db) {
        // offset + limit used to overflow; SQLite reads the negative LIMIT as "no limit" and the page loop never ended
        for (Object offset : List.of(Integer.MAX_VALUE - 10, Integer.MAX_VALUE, "99999999999", -1, 1_000_001)) {
            Res res = admin(db).get(AUDIT, "offset", offset, "limit", 20);

            assertThat(res.status()).as(offset + ": " + res).isEqualTo(422);
            assertThat(res.body().path("error").asString()).isEqualTo("ValidationFailure");
            assertThat(issuePath(res)).containsExactly("offset");
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void theLargestOffsetAnswersAnEmptyPage(Db db) {
        assertThat(logs(admin(db), "offset", 1_000_000, "limit", 1000, "startDate", since()))
                .isEmpty();
        assertThat(logs(admin(db), "offset", 1_000_000, "eventMetadata", "environment=dev", "startDate", since()))
                .isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anIdentityWithoutOrgAccessCannotReadAuditLogs(Db db) {
        MachineIdentities ids = new MachineIdentities(server(db));
        UaIdentity none = ids.withUa("no-access", Map.of());
        UaIdentity member = ids.withUa("member", Map.of());

        Res denied = server(db).as(ids.token(none)).get(AUDIT);
        Res allowed = server(db).as(ids.token(member)).get(AUDIT, "startDate", since());

        assertThat(denied.status()).as(denied.toString()).isEqualTo(403);
        assertThat(denied.body().path("error").asString()).isEqualTo("PermissionDenied");
        assertThat(denied.raw()).doesNotContain("auditLogs");
        assertThat(allowed.status()).as(allowed.toString()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void identityAndUniversalAuthChangesAreRecorded(Db db) {
        MachineIdentities ids = new MachineIdentities(server(db));
        String start = since();
        UaIdentity m = ids.withUa(Map.of());
        admin(db).patch("/api/v1/identities/" + m.id(), Map.of("name", Fixtures.unique("renamed")));
        admin(db).post(MachineIdentities.UA + m.id() + "/client-secrets/" + m.clientSecretId() + "/revoke", Map.of());
        admin(db).delete("/api/v1/identities/" + m.id(), null);

        List<JsonNode> rows = logs(
                admin(db),
                "actor",
                server(db).admin.identityId(),
                "startDate",
                start,
                "eventMetadata",
                "identityId=" + m.id(),
                "limit",
                100);

        assertThat(types(rows))
                .contains(
                        "create-identity",
                        "add-identity-universal-auth",
                        "create-identity-universal-auth-client-secret",
                        "update-identity",
                        "revoke-identity-universal-auth-client-secret",
                        "delete-identity");
    }
}
