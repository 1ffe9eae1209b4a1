package dev.keyhaven.server.platform.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * {@code --dev} takes {@code ./keyhaven-dev-data} unless the operator names a data directory:
 * application.yml's default ({@code ./keyhaven-data}, also visible through Spring's combined view
 * of all sources) does not count as named.
 */
class DevModeSettingsTest {

    @Test
    void theDefaultDataDirectoryIsNotADevelopmentOne() {
        assertThat(DevModeSettings.devDataDir(environment(Map.of()))).isEqualTo(Path.of("keyhaven-dev-data"));
    }

    @Test
    void aNamedDataDirectoryIsUsed() {
        StandardEnvironment env = environment(Map.of("keyhaven.data-dir", "/srv/kh-dev"));
        assertThat(DevModeSettings.devDataDir(env)).isEqualTo(Path.of("/srv/kh-dev"));
    }

    private static StandardEnvironment environment(Map<String, Object> commandLine) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources()
                .addLast(new MapPropertySource(
                        "Config resource 'class path resource [application.yml]' via location 'optional:classpath:/'",
                        Map.of("keyhaven.data-dir", "./keyhaven-data")));
        env.getPropertySources().addFirst(new MapPropertySource("commandLineArgs", commandLine));
        env.getPropertySources().remove("systemEnvironment"); // the test JVM's KEYHAVEN_* must not count
        ConfigurationPropertySources.attach(env);
        return env;
    }
}
