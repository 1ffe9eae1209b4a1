package dev.keyhaven.server.platform.config;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Ignores the environment variables {@code DEBUG} and {@code TRACE}. Spring reads every variable
 * as a setting, and these generic names, which containers and tools set for their own purposes,
 * would switch on debug logging of the web layer. Debug logging is asked for by name instead:
 * {@code --debug} on the command line or {@code LOGGING_LEVEL_<LOGGER>=DEBUG}.
 */
public class GenericDebugVariables implements EnvironmentPostProcessor {
    static final String SOURCE = "keyhavenIgnoredDebugVariables";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        PropertySource<?> variables =
                environment.getPropertySources().get(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        if (variables == null) {
            return;
        }
        Map<String, Object> ignored = new LinkedHashMap<>();
        for (String name : new String[] {"debug", "trace"}) {
            if (variables.containsProperty(name)) {
                ignored.put(name, "false");
            }
        }
        if (!ignored.isEmpty()) {
            environment
                    .getPropertySources()
                    .addBefore(
                            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                            new MapPropertySource(SOURCE, ignored));
        }
    }
}
