package dev.keyhaven.server.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The streamed JSON of a secret must be exactly the JSON of its map view (same keys, order and
 * values), so that list responses and code reading the map agree.
 */
class SecretJsonTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Tag TAG = new Tag("t1", "p1", "backend", "Backend", null, 1L, 2L);

    private static SecretRow row(String comment, Integer reminderDays) {
        return new SecretRow(
                "s1",
                "p1",
                "e1",
                "f1",
                "DB_PASS",
                "shared",
                "",
                3,
                "ct",
                comment,
                "[]",
                true,
                "rotate \"soon\"",
                reminderDays,
                1_764_200_000_123L,
                1_764_200_000_456L);
    }

    private static String streamed(Map<String, Object> secret) {
        return JSON.writeValueAsString(Map.of("secrets", List.of(secret)));
    }

    private static String viaMap(Map<String, Object> secret) {
        return JSON.writeValueAsString(Map.of("secrets", List.of(new LinkedHashMap<>(secret))));
    }

    @Test
    void streamedJsonEqualsTheMapView() {
        List<SecretMetadata> meta =
                List.of(new SecretMetadata("team", "core", false), new SecretMetadata("pin", "1234", true));
        for (boolean hidden : new boolean[] {false, true}) {
            for (boolean timestamps : new boolean[] {false, true}) {
                Map<String, Object> s = SecretJson.of(
                        row(null, null),
                        "prod",
                        "/a/b",
                        "v\u00e9\n\"x\"",
                        hidden,
                        "note",
                        null,
                        meta,
                        List.of(TAG),
                        timestamps);
                assertThat(streamed(s)).isEqualTo(viaMap(s));
                Map<String, Object> bare =
                        SecretJson.of(row("c", 7), "dev", "/", null, hidden, "", "c", List.of(), List.of(), timestamps);
                assertThat(streamed(bare)).isEqualTo(viaMap(bare));
            }
        }
    }

    @Test
    void hiddenSecretsMaskValueAndEncryptedMetadata() {
        Map<String, Object> s = SecretJson.of(
                row(null, null),
                "prod",
                "/",
                "real-value",
                true,
                "",
                null,
                List.of(new SecretMetadata("pin", "1234", true), new SecretMetadata("team", "core", false)),
                List.of(),
                true);
        String json = streamed(s);
        assertThat(json).doesNotContain("real-value").doesNotContain("1234").contains("core");
        assertThat(s)
                .containsEntry("secretValue", SecretJson.HIDDEN)
                .containsEntry("secretValueHidden", true)
                .containsEntry("secretKey", "DB_PASS");
        assertThat(json)
                .startsWith(
                        "{\"secrets\":[{\"id\":\"s1\",\"_id\":\"s1\",\"workspace\":\"p1\",\"environment\":\"prod\"");
    }
}
