package dev.keyhaven.server.project;

import dev.keyhaven.server.access.ProjectRoleService;
import java.util.List;

/**
 * An org-level blueprint for new projects: the environments they start with (null for project
 * types without environments) and the custom roles they get beside the built-in ones. The version
 * rises on every change, so a project can tell which state of the template it was made from.
 */
public record ProjectTemplate(
        String id,
        String orgId,
        String name,
        String description,
        String type,
        List<Env> environments,
        List<ProjectRoleService.Definition> roles,
        int version,
        long createdAt,
        long updatedAt) {

    /** An environment of a template; positions run 1..n without gaps. */
    public record Env(String name, String slug, int position) {}
}
