package dev.keyhaven.server.secret;

import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.platform.web.Flags;
import dev.keyhaven.server.platform.web.ValidationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns the query strings of secret reads (v3 and v4) into reader queries, with Infisical's defaults. */
final class SecretQueries {
    private SecretQueries() {}

    static SecretReader.ListQuery list(String projectId, String projectSlug, Map<String, String> q) {
        if (projectId == null && projectSlug == null) {
            throw ApiException.badRequest("Missing workspaceId or workspaceSlug (projectId on v4)");
        }
        if (q.get("environment") == null) {
            throw ApiException.badRequest("Missing environment");
        }
        String tagSlugs = q.get("tagSlugs");
        return new SecretReader.ListQuery(
                projectId,
                projectSlug,
                q.get("environment"),
                path(q),
                Flags.parse("viewSecretValue", q.get("viewSecretValue"), true),
                Flags.parse("expandSecretReferences", q.get("expandSecretReferences"), false),
                Flags.parse("recursive", q.get("recursive"), false),
                Flags.parse("include_imports", q.get("include_imports"), false),
                tagSlugs == null
                        ? List.of()
                        : Arrays.stream(tagSlugs.split(","))
                                .map(String::trim)
                                .filter(s -> !s.isEmpty())
                                .toList(),
                metadataFilter(q.get("metadataFilter")));
    }

    static SecretReader.GetQuery get(String projectId, String projectSlug, String name, Map<String, String> q) {
        Integer version = null;
        if (q.get("version") != null) {
            try {
                version = Integer.parseInt(q.get("version"));
            } catch (NumberFormatException e) {
                throw ValidationException.invalidType("version", "number", "string");
            }
        }
        SecretRules.key("secretName", name);
        return new SecretReader.GetQuery(
                projectId,
                projectSlug,
                q.get("environment"),
                path(q),
                name,
                q.get("type"),
                version,
                Flags.parse("viewSecretValue", q.get("viewSecretValue"), true),
                Flags.parse("expandSecretReferences", q.get("expandSecretReferences"), false),
                Flags.parse("include_imports", q.get("include_imports"), false));
    }

    private static String path(Map<String, String> q) {
        return q.get("secretPath") != null ? q.get("secretPath") : q.get("path");
    }

    /** {@code key=K,value=V|key=K2}: at most 10 filters, each naming a key, a value or both. */
    static List<Map<String, String>> metadataFilter(String raw) {
        List<Map<String, String>> out = new ArrayList<>();
        if (raw == null || raw.isBlank()) {
            return out;
        }
        String[] filters = raw.split("\\|");
        if (filters.length > 10) {
            throw ValidationException.field("metadataFilter", "At most 10 metadata filters");
        }
        for (String f : filters) {
            Map<String, String> m = new LinkedHashMap<>();
            for (String part : f.split(",")) {
                int eq = part.indexOf('=');
                String k = eq < 0 ? "" : part.substring(0, eq).trim();
                if (!k.equals("key") && !k.equals("value")) {
                    throw ValidationException.field("metadataFilter", "Expected key=K,value=V pairs separated by '|'");
                }
                m.put(k, part.substring(eq + 1));
            }
            out.add(m);
        }
        return out;
    }
}
