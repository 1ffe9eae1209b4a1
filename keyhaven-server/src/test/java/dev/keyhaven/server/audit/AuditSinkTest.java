package dev.keyhaven.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.Fixtures.Machine;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.JsonNode;

/**
 * The audit-sink seam's contract: a sink registered beside the database trail receives exactly
 * the events the trail commits (changes, batched reads, refused logins), and a sink that cannot
 * write refuses the change, so neither the change nor any sink's record of it remains. Runs a
 * server of its own per database, with two extra sinks registered as Spring beans.
 */
class AuditSinkTest {
    private static final String AUDIT = "/api/v1/organization/audit-logs";
    private static final String REFUSED_KEY = "REFUSED_BY_SINK";
    private static final Map<Db, TestServer> SERVERS = new EnumMap<>(Db.class);

    /** Records what committed: events reach the list only when their transaction commits. */
    static final class RecordingSink implements AuditSink {
        final List<RecordedEvent> committed = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public void write(List<RecordedEvent> events) {
            List<RecordedEvent> copy = List.copyOf(events);
            if (!TransactionSynchronizationManager.isSynchronizationActive()) {
                committed.addAll(copy);
                return;
            }
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    committed.addAll(copy);
                }
            });
        }
    }

    /** Cannot write events about one secret key, as a sink whose table is unavailable. */
    static final class RefusingSink implements AuditSink {
        @Override
        public String name() {
            return "refusing";
        }

        @Override
        public void write(List<RecordedEvent> events) {
            for (RecordedEvent e : events) {
                if (e.event().metadata() != null
                        && REFUSED_KEY.equals(e.event().metadata().get("secretKey"))) {
                    throw new IllegalStateException("the sink cannot write this event");
                }
            }
        }
    }

    /** Registers the two sinks; passed to the server as an extra source, never component-scanned. */
    static class ExtraSinks {
        @Bean
        RecordingSink recordingSink() {
            return new RecordingSink();
        }

        @Bean
        RefusingSink refusingSink() {
            return new RefusingSink();
        }
    }

    private static synchronized TestServer server(Db db) {
        return SERVERS.computeIfAbsent(db, d -> TestServers.freshWith(d, ExtraSinks.class));
    }

    @AfterAll
    static void stopServers() {
        SERVERS.values().forEach(TestServer::close);
    }

    /** What the trail and a sink both know of an event. */
    record Seen(
            String type,
            String actorType,
            String actorId,
            JsonNode actorMetadata,
            String projectId,
            String projectName,
            JsonNode metadata,
            String ipAddress,
            String userAgent,
            String userAgentType,
            long createdAt) {}

    @ParameterizedTest
    @EnumSource(Db.class)
    void aSecondSinkReceivesExactlyTheEventsTheDatabaseTrailRecords(Db db) {
        TestServer server = server(db);
        Fixtures f = new Fixtures(server);
        String p = f.project();
        Machine m = f.identity(p, "member");
        assertThat(f.createSecret(m.api(), p, "dev", "/", "SINK_KEY", "v").status())
                .isEqualTo(200);
        assertThat(m.api()
                        .get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev")
                        .status())
                .isEqualTo(200);
        assertThat(m.api()
                        .get("/api/v3/secrets/raw/SINK_KEY", "workspaceId", p, "environment", "dev")
                        .status())
                .isEqualTo(200);
        assertThat(server.anonymous()
                        .post(
                                "/api/v1/auth/universal-auth/login",
                                Map.of("clientId", m.clientId(), "clientSecret", "0".repeat(64)))
                        .status())
                .isEqualTo(401);

        List<Seen> inDatabase = trail(server);
        List<Seen> inSink = sink(server);

        assertThat(inDatabase.stream().map(Seen::type))
                .contains(
                        "instance-bootstrap",
                        "create-project",
                        "add-identity-universal-auth",
                        "login-identity-universal-auth",
                        "create-secret",
                        "get-secrets",
                        "get-secret",
                        "login-identity-universal-auth-failed");
        assertThat(inSink).containsExactlyInAnyOrderElementsOf(inDatabase);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aSinkThatCannotWriteRefusesTheChangeAndNoSinkKeepsIt(Db db) {
        TestServer server = server(db);
        Fixtures f = new Fixtures(server);
        String p = f.project();

        Res refused = f.createSecret(server.admin(), p, "dev", "/", REFUSED_KEY, "v");

        assertThat(refused.status()).as(refused.toString()).isEqualTo(500);
        Res read = server.admin().get("/api/v3/secrets/raw/" + REFUSED_KEY, "workspaceId", p, "environment", "dev");
        assertThat(read.status()).as(read.toString()).isEqualTo(404);
        assertThat(trail(server).stream()
                        .map(s -> s.metadata().path("secretKey").asString()))
                .doesNotContain(REFUSED_KEY);
        assertThat(sink(server).stream().map(s -> s.metadata().path("secretKey").asString()))
                .doesNotContain(REFUSED_KEY);
        assertThat(sink(server)).containsExactlyInAnyOrderElementsOf(trail(server));
    }

    private static List<Seen> trail(TestServer server) {
        Res res = server.admin()
                .get(AUDIT, "startDate", Instant.now().minus(1, ChronoUnit.DAYS).toString(), "limit", 1000);
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return res.body()
                .path("auditLogs")
                .valueStream()
                .map(r -> new Seen(
                        text(r.path("event").path("type")),
                        text(r.path("actor").path("type")),
                        actorId(r.path("actor").path("metadata")),
                        r.path("actor").path("metadata"),
                        text(r.path("projectId")),
                        text(r.path("projectName")),
                        r.path("event").path("metadata"),
                        text(r.path("ipAddress")),
                        text(r.path("userAgent")),
                        text(r.path("userAgentType")),
                        Instant.parse(r.path("createdAt").asString()).toEpochMilli()))
                .toList();
    }

    private static List<Seen> sink(TestServer server) {
        return server.bean(RecordingSink.class).committed.stream()
                .map(r -> {
                    AuditEvent e = r.event();
                    return new Seen(
                            e.eventType().wire(),
                            e.actorType(),
                            e.actorId(),
                            json(e.actorMetadata()),
                            e.projectId(),
                            e.projectName(),
                            json(e.metadata() == null ? Map.of() : e.metadata()),
                            e.ipAddress(),
                            e.userAgent(),
                            r.userAgentType(),
                            r.recordedAt());
                })
                .toList();
    }

    /** The JSON a map becomes once stored and read back, so numbers compare as the trail's do. */
    private static JsonNode json(Map<String, Object> map) {
        return Api.JSON.readTree(Api.JSON.writeValueAsString(map));
    }

    private static String actorId(JsonNode actorMetadata) {
        return actorMetadata.has("userId")
                ? actorMetadata.path("userId").asString()
                : text(actorMetadata.path("identityId"));
    }

    private static String text(JsonNode node) {
        return node.isNull() || node.isMissingNode() ? null : node.asString();
    }
}
