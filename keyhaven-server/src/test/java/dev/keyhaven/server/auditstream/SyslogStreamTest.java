package dev.keyhaven.server.auditstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.Fixtures.Machine;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * Syslog streams against a real rsyslogd, over TCP and over TLS (the receiver's certificate checked
 * against the stream's CA and its name), on both databases: every event arrives as one RFC 5424
 * message that rsyslog parses (priority, app name, MSGID) with the event's JSON as its message,
 * in the order the events were recorded.
 */
class SyslogStreamTest {

    @ParameterizedTest
    @CsvSource({"SQLITE,false", "SQLITE,true", "POSTGRESQL,false", "POSTGRESQL,true"})
    void eventsArriveInRsyslogInOrder(Db db, boolean tls) throws Exception {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        Fixtures f = new Fixtures(server);
        String p = f.project();
        Machine m = f.identity(p, "member");
        try (Rsyslog rsyslog = Rsyslog.start(tls)) {
            Map<String, Object> credentials = new HashMap<>();
            credentials.put("hostname", "127.0.0.1");
            credentials.put("port", rsyslog.port);
            credentials.put("tls", tls);
            if (tls) {
                credentials.put("caCert", rsyslog.caPem);
            }
            Res created = admin.post(AuditStreamApiTest.BASE + "/syslog", Map.of("credentials", credentials));
            assertThat(created.status()).as(created.toString()).isEqualTo(200);
            JsonNode c = created.body().path("auditLogStream").path("credentials");
            assertThat(c.path("hostname").asString()).isEqualTo("127.0.0.1");
            assertThat(c.path("port").asInt()).isEqualTo(rsyslog.port);
            assertThat(c.path("tls").asBoolean()).isEqualTo(tls);
            String id = created.body().path("auditLogStream").path("id").asString();
            try {
                String prefix = Fixtures.unique("SYSLOG").replace('-', '_').toUpperCase() + "_";
                List<String> keys =
                        IntStream.range(0, 6).mapToObj(i -> prefix + i).toList();
                for (String k : keys) {
                    assertThat(f.createSecret(m.api(), p, "dev", "/", k, "v").status())
                            .isEqualTo(200);
                }
                List<String> lines = rsyslog.await(l -> l.contains(prefix), keys.size());
                for (int i = 0; i < keys.size(); i++) {
                    String line = lines.get(i);
                    assertThat(line).startsWith("110 keyhaven create-secret {");
                    JsonNode event = Api.JSON.readTree(line.substring(line.indexOf('{')));
                    assertThat(event.path("event")
                                    .path("metadata")
                                    .path("secretKey")
                                    .asString())
                            .isEqualTo(keys.get(i));
                    assertThat(event.path("orgId").asString()).isEqualTo(server.admin.orgId());
                    assertThat(event.path("id").asString()).isNotBlank();
                }
            } finally {
                assertThat(admin.delete(AuditStreamApiTest.BASE + "/syslog/" + id, null)
                                .status())
                        .isEqualTo(200);
            }
        }
    }
}
