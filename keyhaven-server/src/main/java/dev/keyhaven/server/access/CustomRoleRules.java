package dev.keyhaven.server.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Compiled rules of custom roles, cached by role id and last change: the stored JSON is parsed
 * and its globs compiled once per version of a role, not once per request.
 */
@Component
class CustomRoleRules {
    private static final TypeReference<List<Map<String, Object>>> RULES = new TypeReference<>() {};
    private final ObjectMapper json;
    private final Cache<String, List<Rule>> compiled = Caffeine.newBuilder().maximumSize(10_000).build();

    CustomRoleRules(ObjectMapper json) {
        this.json = json;
    }

    List<Rule> rules(String roleId, String slug, String permissionsJson, long updatedAt) {
        return compiled.get(roleId + "@" + updatedAt,
                k -> RuleParser.compile(json.readValue(permissionsJson, RULES), "custom-role:" + slug));
    }
}
