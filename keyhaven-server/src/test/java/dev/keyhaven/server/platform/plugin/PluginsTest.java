package dev.keyhaven.server.platform.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyhaven.server.platform.config.StartupException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PluginsTest {
    record Kind(String name) {}

    static final class Other {
        String name() {
            return "postgres";
        }
    }

    @Test
    void findsKindsByNameInRegistrationOrder() {
        Plugins<Kind> kinds = Plugins.of("test kind", List.of(new Kind("redis"), new Kind("postgres")), Kind::name);

        assertThat(kinds.find("postgres")).contains(new Kind("postgres"));
        assertThat(kinds.find("mysql")).isEmpty();
        assertThat(kinds.find(null)).isEmpty();
        assertThat(kinds.names()).containsExactly("redis", "postgres");
        assertThat(kinds.all()).hasSize(2);
    }

    @Test
    void twoKindsClaimingOneNameStopTheStartNamingBoth() {
        List<Object> both = List.of(new Kind("postgres"), new Other());

        assertThatThrownBy(() ->
                        Plugins.of("test kind", both, k -> k instanceof Kind kind ? kind.name() : ((Other) k).name()))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("'postgres'")
                .hasMessageContaining(Kind.class.getName())
                .hasMessageContaining(Other.class.getName());
    }

    @Test
    void aKindWithoutANameIsRefused() {
        assertThatThrownBy(() -> Plugins.of("test kind", List.of(new Kind(" ")), Kind::name))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("has no name");
    }
}
