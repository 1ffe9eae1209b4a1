package dev.keyhaven.server.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Compiled rules of custom roles and additional privileges, cached by id and last change: the
 * stored JSON is parsed and its globs compiled once per version, not once per request.
 */
@Component
class CustomRoleRules {
    private static final TypeReference<List<Map<String, Object>>> RULES = new TypeReference<>() {};
    private final ObjectMapper json;
    private final Cache<String, List<Rule>> compiled =
            Caffeine.newBuilder().maximumSize(10_000).build();

    CustomRoleRules(ObjectMapper json) {
        this.json = json;
    }

    /** The rules of {@code id} as stored at {@code version}, tagged with {@code source} for explanations. */
    List<Rule> rules(String id, String source, String permissionsJson, long version) {
        return compiled.get(
                id + "@" + version, k -> RuleParser.compile(json.readValue(permissionsJson, RULES), source));
    }
}
