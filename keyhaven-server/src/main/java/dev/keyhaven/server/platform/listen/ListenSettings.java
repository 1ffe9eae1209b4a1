package dev.keyhaven.server.platform.listen;

import dev.keyhaven.server.platform.config.StartupException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns {@link ListenProperties} into the Spring settings that make the web servers listen there:
 * {@code server.address}, the PEM SSL bundle {@code keyhaven} (reloaded when its files change) as
 * {@code server.ssl.bundle}, and {@code management.server.port}/{@code address}. They are added
 * with the lowest precedence, so a Spring property given by name still wins.
 */
public class ListenSettings implements EnvironmentPostProcessor, Ordered {
    static final String SOURCE = "keyhavenListenSettings";
    /** The SSL bundle the API's certificate and key are published as. */
    public static final String BUNDLE = "keyhaven";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        ListenProperties listen = bind(environment);
        ListenProperties.Surroundings where = ListenProperties.Surroundings.detect(System::getenv);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("server.address", listen.effectiveBind(where));
        if (listen.tls()) {
            requireReadable(listen.tlsCertFile(), "KEYHAVEN_TLS_CERT_FILE");
            requireReadable(listen.tlsKeyFile(), "KEYHAVEN_TLS_KEY_FILE");
            String bundle = "spring.ssl.bundle.pem." + BUNDLE;
            settings.put(
                    bundle + ".keystore.certificate",
                    "file:" + listen.tlsCertFile().toAbsolutePath());
            settings.put(
                    bundle + ".keystore.private-key",
                    "file:" + listen.tlsKeyFile().toAbsolutePath());
            settings.put(bundle + ".reload-on-update", "true");
            settings.put("server.ssl.bundle", BUNDLE);
            // the management port would inherit the API's TLS; it stays plain HTTP for probes and scrapers
            settings.put("management.server.ssl.enabled", "false");
        }
        settings.put("management.server.port", listen.effectiveManagementPort());
        settings.put("management.server.address", listen.effectiveManagementBind(where));
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE, settings));
    }

    static ListenProperties bind(ConfigurableEnvironment environment) {
        try {
            return Binder.get(environment)
                    .bind("keyhaven", ListenProperties.class)
                    .orElseGet(() -> new ListenProperties(null, null, null, null, null));
        } catch (BindException e) {
            Throwable cause = e;
            while (cause != null) {
                if (cause instanceof StartupException s) {
                    throw s;
                }
                cause = cause.getCause();
            }
            throw new StartupException("invalid listen setting: " + e.getMessage(), e);
        }
    }

    private static void requireReadable(java.nio.file.Path file, String setting) {
        if (!Files.isReadable(file)) {
            throw new StartupException(setting + " names " + file + ", which does not exist or cannot be read");
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
