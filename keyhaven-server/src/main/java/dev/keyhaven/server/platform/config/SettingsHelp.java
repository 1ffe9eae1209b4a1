package dev.keyhaven.server.platform.config;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;

/**
 * What {@code keyhaven-server --help} prints: every {@code KEYHAVEN_*} setting, found in the typed
 * settings records ({@code @ConfigurationProperties}) and in the placeholders of
 * {@code application.yml}, so the list cannot fall behind the code. What each one means is in
 * docs/configuration.md.
 */
public final class SettingsHelp {
    private static final String BASE_PACKAGE = "dev.keyhaven.server";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(KEYHAVEN_[A-Z0-9_]+)");

    private SettingsHelp() {}

    /** One setting: its environment variable, the kind of value, and the settings record it belongs to. */
    public record Setting(String variable, String kind, String group) {}

    /** Every setting, sorted by variable; a variable two records share appears once. */
    public static List<Setting> settings() {
        Map<String, Setting> byName = new TreeMap<>();
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        for (BeanDefinition candidate : scanner.findCandidateComponents(BASE_PACKAGE)) {
            Class<?> type = load(candidate.getBeanClassName());
            if (!type.isRecord()) {
                continue;
            }
            String prefix = type.getAnnotation(ConfigurationProperties.class).value();
            for (RecordComponent c : type.getRecordComponents()) {
                String variable = variable(prefix, c.getName());
                byName.putIfAbsent(variable, new Setting(variable, kind(c.getType()), type.getSimpleName()));
            }
        }
        for (String variable : placeholders()) {
            byName.putIfAbsent(variable, new Setting(variable, "text", "application.yml"));
        }
        return List.copyOf(byName.values());
    }

    /** The text {@code --help} prints. */
    public static String render() {
        StringBuilder out = new StringBuilder();
        out.append("Usage: keyhaven-server [--dev | --help | backup --to FILE | restore --from FILE]\n\n")
                .append("  --dev                a throw-away development server: 127.0.0.1, its own data\n")
                .append("                       directory, bootstrapped, admin login and token printed\n")
                .append("  --help               print this and exit\n")
                .append("  backup --to FILE     SQLite: a consistent backup while the server runs\n")
                .append("  restore --from FILE  SQLite: restore a backup (server stopped; same root key)\n\n")
                .append("Settings are environment variables (or --keyhaven.<name>=value options, e.g.\n")
                .append("KEYHAVEN_DATA_DIR as --keyhaven.data-dir=...). What each means: docs/configuration.md.\n\n");
        List<Setting> all = settings();
        int width = all.stream().mapToInt(s -> s.variable().length()).max().orElse(0);
        for (Setting s : all) {
            out.append("  ")
                    .append(String.format(Locale.ROOT, "%-" + width + "s", s.variable()))
                    .append("  ")
                    .append(s.kind())
                    .append('\n');
        }
        return out.toString();
    }

    /** {@code keyhaven.outbox} + {@code pollInterval} → {@code KEYHAVEN_OUTBOX_POLL_INTERVAL}. */
    static String variable(String prefix, String component) {
        String kebab = component.replaceAll("([a-z0-9])([A-Z])", "$1_$2");
        return (prefix.replace('.', '_').replace('-', '_') + "_" + kebab).toUpperCase(Locale.ROOT);
    }

    private static String kind(Class<?> type) {
        if (type == Duration.class) {
            return "duration (30s, 5m, 2h, 7d)";
        }
        if (type == Path.class) {
            return "path";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "number";
        }
        return "text";
    }

    private static List<String> placeholders() {
        List<String> found = new ArrayList<>();
        try (InputStream in = SettingsHelp.class.getResourceAsStream("/application.yml")) {
            if (in == null) {
                return found;
            }
            Matcher m = PLACEHOLDER.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            while (m.find()) {
                found.add(m.group(1));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read application.yml", e);
        }
        return found;
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, SettingsHelp.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
