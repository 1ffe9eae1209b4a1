package dev.keyhaven.server.dynamic;

import dev.keyhaven.server.platform.web.ValidationException;
import java.util.Map;
import java.util.regex.Pattern;

/** Where a dynamic secret lives: a project, an environment slug and a folder path. */
record Location(String projectId, String projectName, String environment, String path) {
    private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9_.-]+)*/?");

    /** The path trimmed, without a trailing {@code /}, {@code /} when absent. */
    static String path(String raw) {
        String p = raw == null || raw.isBlank() ? "/" : raw.strip();
        if (!p.startsWith("/") || p.length() > 1024 || !PATH.matcher(p).matches()) {
            throw ValidationException.field("path", "Must be a folder path such as / or /db/prod");
        }
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    /** The resource a permission condition sees. */
    Map<String, Object> resource() {
        return Map.of("environment", environment, "secretPath", path);
    }
}
