package dev.keyhaven.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyhaven.server.identity.AuthMethodEvents;
import dev.keyhaven.server.identity.MachineAuthMethod;
import dev.keyhaven.server.identity.MachineAuthMethods;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.TestServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The audit vocabulary and its catalogue page agree: {@code docs/audit-events.md} lists every
 * {@link AuditEventType} with its description and metadata, in the enum's order, and nothing
 * else. Run with {@code -Daudit.catalogue.write=true} to rewrite the page's table from the enum.
 */
class AuditEventCatalogueTest {
    private static final String BEGIN = "<!-- begin: generated from AuditEventType -->";
    private static final String END = "<!-- end: generated from AuditEventType -->";

    static String table() {
        StringBuilder out = new StringBuilder("| Event type | What happened | Metadata |\n|---|---|---|\n");
        for (AuditEventType t : AuditEventType.values()) {
            out.append("| `")
                    .append(t.wire())
                    .append("` | ")
                    .append(t.description())
                    .append(" | ")
                    .append(t.metadata())
                    .append(" |\n");
        }
        return out.toString();
    }

    private static Path page() {
        for (Path candidate : List.of(Path.of("docs", "audit-events.md"), Path.of("..", "docs", "audit-events.md"))) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(
                "docs/audit-events.md not found from " + Path.of("").toAbsolutePath());
    }

    @Test
    void theCataloguePageListsExactlyTheEnumsEventTypes() throws IOException {
        Path page = page();
        String text = Files.readString(page, StandardCharsets.UTF_8);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertThat(begin).as("the page marks its generated table with " + BEGIN).isNotNegative();
        assertThat(end)
                .as("the page marks the end of its generated table with " + END)
                .isGreaterThan(begin);
        String onPage = text.substring(begin + BEGIN.length(), end).strip() + "\n";
        if (Boolean.getBoolean("audit.catalogue.write")) {
            Files.writeString(page, text.substring(0, begin + BEGIN.length()) + "\n" + table() + text.substring(end));
            return;
        }

        Map<String, String> documented = rows(onPage);
        Map<String, String> declared = rows(table());
        List<String> missing = new ArrayList<>(declared.keySet());
        missing.removeAll(documented.keySet());
        List<String> unknown = new ArrayList<>(documented.keySet());
        unknown.removeAll(declared.keySet());
        assertThat(missing).as("event types missing from " + page).isEmpty();
        assertThat(unknown)
                .as("event types on " + page + " that AuditEventType does not name")
                .isEmpty();
        assertThat(onPage)
                .as("the table of " + page + " (rewrite it with -Daudit.catalogue.write=true)")
                .isEqualTo(table());
    }

    /** Table rows by event type. */
    private static Map<String, String> rows(String table) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : table.split("\n")) {
            if (line.startsWith("| `")) {
                out.put(line.substring(3, line.indexOf('`', 3)), line);
            }
        }
        return out;
    }

    @Test
    void constantNamesAreTheWireNamesAndWireNamesAreKebabCase() {
        for (AuditEventType t : AuditEventType.values()) {
            assertThat(t.wire()).matches("[a-z]+(-[a-z]+)*");
            assertThat(t.name()).isEqualTo(t.wire().toUpperCase(Locale.ROOT).replace('-', '_'));
            assertThat(t.description()).isNotBlank().doesNotContain("|");
            assertThat(t.metadata()).isNotBlank().doesNotContain("|");
            assertThat(AuditEventType.ofWire(t.wire())).isSameAs(t);
        }
        assertThat(Arrays.stream(AuditEventType.values()).map(AuditEventType::wire))
                .doesNotHaveDuplicates();
    }

    @Test
    void aNameOutsideTheVocabularyIsRefused() {
        assertThatThrownBy(() -> AuditEventType.ofWire("get-secretz")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuditEventType.ofWire("add-identity-carrier-pigeon-auth"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyMachineAuthMethodHasItsLifecycleEventsAndBothOrNeitherLoginEvent() {
        List<MachineAuthMethod<?, ?>> methods = TestServers.shared(Db.SQLITE)
                .context
                .getBean(MachineAuthMethods.class)
                .all();

        assertThat(methods).hasSizeGreaterThanOrEqualTo(9);
        for (MachineAuthMethod<?, ?> m : methods) {
            String method = m.name();
            AuthMethodEvents events = m.events();
            assertThat(events.attached().wire()).isEqualTo("add-identity-" + method);
            assertThat(events.updated().wire()).isEqualTo("update-identity-" + method);
            assertThat(events.revoked().wire()).isEqualTo("revoke-identity-" + method);
            boolean login = hasWire("login-identity-" + method);
            assertThat(hasWire("login-identity-" + method + "-failed"))
                    .as(method + ": a login event and its failure come together")
                    .isEqualTo(login);
        }
    }

    private static boolean hasWire(String wire) {
        return Arrays.stream(AuditEventType.values()).anyMatch(t -> t.wire().equals(wire));
    }
}
