package dev.keyhaven.server.access;

import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.platform.web.ValidationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * Answers "may this actor do this here, and why": the verdict of the same evaluator every endpoint
 * uses, with every rule that matched and where it came from (built-in role, custom role,
 * additional privilege). Anyone may ask about themselves; asking about another identity needs
 * {@code role: read} and {@code identity: read} in the project.
 */
@Service
public class PermissionExplainer {
    private final PermissionService permissions;

    public PermissionExplainer(PermissionService permissions) {
        this.permissions = permissions;
    }

    /** The question: whose permission (default: the caller), which action on which resource. */
    public record Question(
            String identityId,
            String subject,
            String action,
            String environment,
            String secretPath,
            String secretName,
            List<String> secretTags) {}

    /**
     * Explains for the caller, or for {@code other} (an identity of the caller's org, with its name
     * and metadata, so templated rules render as they would for it) when given.
     */
    public Map<String, Object> explain(Actor caller, String projectId, Question q, Actor other) {
        PermissionSet mine = permissions.project(caller, projectId);
        // asking about oneself needs membership only; about another identity, role and identity read too
        mine.requireMembership();
        Actor subjectActor = caller;
        if (other != null && !other.id().equals(caller.id())) {
            mine.require(ProjectSubject.ROLE, ProjectAction.READ);
            mine.require(ProjectSubject.IDENTITY, ProjectAction.READ, Map.of("identityId", other.id()));
            subjectActor = other;
            if (!permissions.isMember(subjectActor, projectId)) {
                throw ApiException.notFound("The identity is not a member of this project");
            }
        }
        if (q.subject() == null || !ProjectSubjects.ALL.containsKey(q.subject())) {
            throw ValidationException.field("subject", "Unknown subject '" + q.subject() + "'");
        }
        if (q.action() == null
                || !ProjectSubjects.ALL.get(q.subject()).actions().contains(q.action())) {
            throw ValidationException.field(
                    "action", "Unknown action '" + q.action() + "' for subject '" + q.subject() + "'");
        }
        Map<String, Object> resource = new LinkedHashMap<>();
        put(resource, "environment", q.environment());
        put(resource, "secretPath", q.secretPath());
        put(resource, "secretName", q.secretName());
        if (q.secretTags() != null) {
            resource.put("secretTags", q.secretTags());
        }
        PermissionSet.Explanation e =
                permissions.project(subjectActor, projectId).explain(q.subject(), q.action(), resource);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("allowed", e.allowed());
        out.put(
                "decision",
                e.allowed() ? "allow" : e.denies().isEmpty() ? "deny: no rule allows it" : "deny: a deny rule matches");
        List<Map<String, Object>> decidedBy = new ArrayList<>();
        (e.denies().isEmpty() ? e.allows() : e.denies()).forEach(r -> decidedBy.add(ruleJson(r)));
        out.put("decidedBy", decidedBy);
        List<Map<String, Object>> matched = new ArrayList<>();
        e.allows().forEach(r -> matched.add(ruleJson(r)));
        e.denies().forEach(r -> matched.add(ruleJson(r)));
        out.put("matchingRules", matched);
        return out;
    }

    private static void put(Map<String, Object> m, String k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    private static Map<String, Object> ruleJson(Rule r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", r.source());
        m.put("subject", r.subject());
        m.put("action", new java.util.TreeSet<>(r.actions()).stream().toList());
        Map<String, Object> conditions = new LinkedHashMap<>();
        for (Condition c : r.conditions()) {
            Object value = "$in".equals(c.op()) ? c.values() : c.values().get(0);
            @SuppressWarnings("unchecked")
            Map<String, Object> ops =
                    (Map<String, Object>) conditions.computeIfAbsent(c.field(), k -> new LinkedHashMap<>());
            ops.put(c.op(), value);
        }
        if (!conditions.isEmpty()) {
            m.put("conditions", conditions);
        }
        m.put("inverted", r.inverted());
        return m;
    }
}
