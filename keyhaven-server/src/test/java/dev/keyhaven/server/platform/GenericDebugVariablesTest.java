package dev.keyhaven.server.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.platform.config.GenericDebugVariables;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The generic {@code DEBUG} and {@code TRACE} variables are not settings; {@code --debug} still is. */
class GenericDebugVariablesTest {

    private static StandardEnvironment environment(Map<String, Object> variables, String... args) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources()
                .replace(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new SystemEnvironmentPropertySource(
                                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        if (args.length > 0) {
            env.getPropertySources().addFirst(new SimpleCommandLinePropertySource(args));
        }
        new GenericDebugVariables().postProcessEnvironment(env, new SpringApplication());
        return env;
    }

    @Test
    void debugAndTraceVariablesAreIgnored() {
        StandardEnvironment env = environment(Map.of("DEBUG", "1", "TRACE", "true", "KEYHAVEN_PORT", "9000"));

        assertThat(env.getProperty("debug")).isEqualTo("false");
        assertThat(env.getProperty("trace")).isEqualTo("false");
        assertThat(env.getProperty("keyhaven.port"))
                .as("other variables still count")
                .isEqualTo("9000");
    }

    @Test
    void theCommandLineStillSwitchesDebugOn() {
        StandardEnvironment env = environment(Map.of("DEBUG", "1"), "--debug");

        assertThat(env.getProperty("debug")).isEqualTo("");
        assertThat(env.getPropertySources().get("keyhavenIgnoredDebugVariables"))
                .isInstanceOf(MapPropertySource.class);
    }
}
