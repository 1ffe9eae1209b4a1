package dev.keyhaven.server.identity;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Which auth methods a page of identities has, in one statement: a {@code UNION ALL} over the
 * methods' tables, each row naming the method by its position in the list given. Listing
 * identities thus costs one query for all methods and all identities of the page, instead of one
 * per method and identity.
 */
@Repository
class AttachedMethodsStore {
    private final JdbcClient jdbc;

    AttachedMethodsStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** For each identity with at least one method, the positions (in {@code tables}) of its methods. */
    Map<String, Set<Integer>> attached(List<String> tables, Collection<String> identityIds) {
        Map<String, Set<Integer>> out = new HashMap<>();
        if (tables.isEmpty() || identityIds.isEmpty()) {
            return out;
        }
        List<String> selects = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            // the tables are the stores' constants and the position a number: no input reaches the text
            selects.add(
                    "SELECT " + i + " AS method, identity_id FROM " + tables.get(i) + " WHERE identity_id IN (:ids)");
        }
        jdbc.sql(String.join(" UNION ALL ", selects))
                .param("ids", List.copyOf(identityIds))
                .query((rs, n) -> Map.entry(rs.getString("identity_id"), rs.getInt("method")))
                .list()
                .forEach(e ->
                        out.computeIfAbsent(e.getKey(), k -> new HashSet<>()).add(e.getValue()));
        return out;
    }
}
