package dev.keyhaven.server.platform.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Development mode ({@code keyhaven-server --dev}, which sets {@code keyhaven.dev=true}): plain HTTP
 * on 127.0.0.1, SQLite in a data directory of its own ({@code ./keyhaven-dev-data} unless
 * {@code KEYHAVEN_DATA_DIR} names one), and an admin token that does not expire. A development data
 * directory carries the marker file {@value #MARKER}: development mode refuses a directory with data
 * but no marker, and a normal start refuses a directory with the marker, so neither is ever used
 * for the other by accident.
 */
public class DevModeSettings implements EnvironmentPostProcessor, Ordered {
    /** The file that marks a development data directory. */
    public static final String MARKER = ".keyhaven-dev";

    static final String SOURCE = "keyhavenDevMode";
    static final Path DEFAULT_DEV_DIR = Path.of("keyhaven-dev-data");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        boolean dev = environment.getProperty("keyhaven.dev", Boolean.class, false);
        if (!dev) {
            Path dir = Path.of(environment.getProperty("keyhaven.data-dir", "keyhaven-data"));
            if (Files.exists(dir.resolve(MARKER))) {
                throw new StartupException(dir + " is a development data directory (it holds " + MARKER
                        + "); start with --dev, or point KEYHAVEN_DATA_DIR at another directory");
            }
            return;
        }
        for (String setting : new String[] {"keyhaven.db-url", "keyhaven.tls-cert-file", "keyhaven.tls-key-file"}) {
            String value = environment.getProperty(setting);
            if (value != null && !value.isBlank()) {
                throw new StartupException("--dev runs on SQLite over plain HTTP on 127.0.0.1; unset "
                        + setting.replace("keyhaven.", "KEYHAVEN_")
                                .replace('.', '_')
                                .replace('-', '_')
                                .toUpperCase(java.util.Locale.ROOT));
            }
        }
        Path dir = devDataDir(environment);
        prepare(dir);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("keyhaven.data-dir", dir.toString());
        settings.put("keyhaven.bind", "127.0.0.1");
        settings.put("keyhaven.bootstrap-token-ttl", "0");
        environment.getPropertySources().addFirst(new MapPropertySource(SOURCE, settings));
    }

    /** Creates the directory with its marker, or checks that an existing one is a development one. */
    static void prepare(Path dir) {
        try {
            if (Files.isDirectory(dir) && !Files.exists(dir.resolve(MARKER)) && !isEmpty(dir)) {
                throw new StartupException(dir.toAbsolutePath() + " holds data but is not a development data directory"
                        + " (no " + MARKER + "): --dev refuses it so that a real instance is never used by"
                        + " accident. Point KEYHAVEN_DATA_DIR at an empty directory, or leave it unset");
            }
            Files.createDirectories(dir);
            if (!Files.exists(dir.resolve(MARKER))) {
                Files.writeString(dir.resolve(MARKER), "Keyhaven development data (keyhaven-server --dev)\n");
            }
        } catch (IOException e) {
            throw new StartupException("cannot prepare the development data directory " + dir + ": " + e.getMessage());
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /** The development data directory: the one the operator named, else {@link #DEFAULT_DEV_DIR}. */
    static Path devDataDir(ConfigurableEnvironment environment) {
        Path named = explicitDataDir(environment);
        return named != null ? named : DEFAULT_DEV_DIR;
    }

    /** The data directory the operator named, or null when only application.yml's default applies. */
    private static Path explicitDataDir(ConfigurableEnvironment environment) {
        for (PropertySource<?> source : environment.getPropertySources()) {
            // application.yml's default, and Spring's view over all sources (which includes it)
            if (source.getName().startsWith("Config resource")
                    || source.getName().equals("configurationProperties")) {
                continue;
            }
            Object value = source.getProperty("keyhaven.data-dir");
            if (value == null && source.getName().equals("systemEnvironment")) {
                value = source.getProperty("KEYHAVEN_DATA_DIR");
            }
            if (value != null && !value.toString().isBlank()) {
                return Path.of(value.toString());
            }
        }
        return null;
    }

    @Override
    public int getOrder() {
        // before ListenSettings, which reads the bind address set here
        return Ordered.LOWEST_PRECEDENCE - 10;
    }
}
