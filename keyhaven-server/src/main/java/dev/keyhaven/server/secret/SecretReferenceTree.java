package dev.keyhaven.server.secret;

import dev.keyhaven.server.access.PermissionService;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.project.Environment;
import dev.keyhaven.server.project.Project;
import dev.keyhaven.server.project.ProjectService;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import org.springframework.stereotype.Service;

/**
 * The tree of references under one secret ({@code GET /api/v4/secrets/:name/secret-reference-tree}):
 * each node names a referenced secret with its raw value and the references inside it, to the
 * same depth and with the same permission checks as expansion.
 */
@Service
public class SecretReferenceTree {
    private final ProjectService projects;
    private final FolderService folders;
    private final PermissionService permissions;
    private final SecretStore store;
    private final TagStore tags;
    private final SecretSealer sealer;
    private final ImportService imports;
    private final ReferenceLimits limits;
    private final ContentCache cache;

    public SecretReferenceTree(
            ProjectService projects,
            FolderService folders,
            PermissionService permissions,
            SecretStore store,
            TagStore tags,
            SecretSealer sealer,
            ImportService imports,
            ReferenceLimits limits,
            ContentCache cache) {
        this.cache = cache;
        this.limits = limits;
        this.projects = projects;
        this.folders = folders;
        this.permissions = permissions;
        this.store = store;
        this.tags = tags;
        this.sealer = sealer;
        this.imports = imports;
    }

    public Map<String, Object> tree(Actor actor, String projectId, String envSlug, String rawPath, String name) {
        Project project = projects.resolveSecretManager(actor, projectId, null);
        ReadContext ctx = new ReadContext(
                actor,
                project,
                permissions.project(actor, project.id()),
                projects,
                folders,
                store,
                tags,
                sealer,
                imports,
                limits,
                cache);
        Environment env = projects.environment(project, envSlug);
        String path = SecretPath.normalize("secretPath", rawPath);
        folders.require(env, path);
        Optional<String> value = ctx.value(env.slug(), path, name);
        if (value.isEmpty()) {
            throw ApiException.notFound("Secret with name '" + name + "' not found in environment '" + env.slug()
                    + "' at path '" + path + "'");
        }
        Deque<String> chain = new ArrayDeque<>();
        chain.push(new ReferenceExpander.Ref(env.slug(), path, name).id());
        return Map.of("tree", node(ctx, env.slug(), path, name, value.get(), chain, 0, new Size()));
    }

    /**
     * What the tree holds so far: the same reference may appear under many parents, so the tree
     * is bounded by its nodes (each one a reference resolved) and the characters of their values.
     */
    private final class Size {
        int nodes;
        long chars;

        void add(String value) {
            if (++nodes > limits.maxPerRequest()) {
                throw ReferenceLimits.tooManyResolved(limits.maxPerRequest());
            }
            chars += value.length();
            if (chars > limits.maxRequestChars()) {
                throw ReferenceLimits.requestTooLong(limits.maxRequestChars());
            }
        }
    }

    private Map<String, Object> node(
            ReadContext ctx,
            String env,
            String path,
            String key,
            String value,
            Deque<String> chain,
            int depth,
            Size size) {
        size.add(value);
        List<Map<String, Object>> children = new ArrayList<>();
        if (depth < ReferenceExpander.MAX_DEPTH && ReferenceExpander.hasReferences(value)) {
            Matcher m = ReferenceExpander.REFERENCE.matcher(value);
            while (m.find()) {
                ReferenceExpander.Ref ref = ReferenceExpander.parse(m.group(1), env, path);
                if (ref == null || chain.contains(ref.id())) {
                    continue;
                }
                Optional<String> target = ctx.value(ref.environment(), ref.path(), ref.key());
                if (target.isPresent()) {
                    chain.push(ref.id());
                    children.add(
                            node(ctx, ref.environment(), ref.path(), ref.key(), target.get(), chain, depth + 1, size));
                    chain.pop();
                }
            }
        }
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("key", key);
        n.put("value", value);
        n.put("environment", env);
        n.put("secretPath", path);
        n.put("children", children);
        return n;
    }
}
