package dev.keyhaven.server.secret;

import dev.keyhaven.server.platform.json.Iso;
import java.util.LinkedHashMap;
import java.util.Map;

/** A project-scoped label for secrets, usable in permission conditions and list filters. */
public record Tag(String id, String projectId, String slug, String name, String color, long createdAt, long updatedAt) {
    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("slug", slug);
        m.put("name", name);
        m.put("color", color);
        m.put("projectId", projectId);
        m.put("createdAt", Iso.of(createdAt));
        m.put("updatedAt", Iso.of(updatedAt));
        return m;
    }

    Map<String, Object> toSecretJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("slug", slug);
        m.put("color", color);
        m.put("name", name);
        return m;
    }
}
