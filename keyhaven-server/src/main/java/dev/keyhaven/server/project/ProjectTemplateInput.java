package dev.keyhaven.server.project;

import dev.keyhaven.server.access.ProjectRoleService;
import dev.keyhaven.server.access.RuleParser;
import dev.keyhaven.server.platform.text.Slugs;
import dev.keyhaven.server.platform.web.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.ObjectMapper;

/**
 * The body of {@code POST} and {@code PATCH /api/v1/project-templates} and its checks, with
 * Infisical's rules: names are slugs and {@code default} is reserved; role slugs and names are
 * unique and never a built-in one in any spelling; environment slugs and names are unique and
 * positions run 1..n; each list stays under 32 KiB. Members (users, groups, identities,
 * project-managed identities) are not kept in templates: an empty list or null is accepted,
 * anything else is refused with 422 rather than silently dropped.
 */
public final class ProjectTemplateInput {
    static final String DEFAULT_NAME = "default";
    private static final int MAX_LIST_BYTES = 32_768;

    /** Every field is optional on update; {@code type} cannot change and is ignored there. */
    public record Body(
            String name,
            String description,
            String type,
            List<RoleIn> roles,
            List<EnvIn> environments,
            List<Object> users,
            List<Object> groups,
            List<Object> identities,
            List<Object> projectManagedIdentities) {}

    public record RoleIn(String name, String slug, List<Map<String, Object>> permissions) {}

    public record EnvIn(String name, String slug, Integer position) {}

    private ProjectTemplateInput() {}

    static String name(String name) {
        if (name == null || name.isBlank()) {
            throw ValidationException.required("name");
        }
        String n = name.strip();
        if (n.length() > 64 || !Slugs.isSlug(n)) {
            throw ValidationException.field(
                    "name", "Name must be a slug: at most 64 lower-case letters, digits, '-' or '_'");
        }
        if (DEFAULT_NAME.equals(n)) {
            throw ValidationException.field("name", "The requested project template name is reserved.");
        }
        return n;
    }

    static String description(String description) {
        if (description != null && description.strip().length() > 256) {
            throw ValidationException.field("description", "String must contain at most 256 character(s)");
        }
        return description == null ? null : description.strip();
    }

    static String type(String type) {
        if (type == null || type.isEmpty()) {
            throw ValidationException.required("type");
        }
        if (!ProjectService.TYPES.contains(type)) {
            throw ValidationException.field("type", "Invalid project type '" + type + "'");
        }
        return type;
    }

    static void noMembers(Body body) {
        Map<String, List<Object>> lists = new LinkedHashMap<>();
        lists.put("users", body.users());
        lists.put("groups", body.groups());
        lists.put("identities", body.identities());
        lists.put("projectManagedIdentities", body.projectManagedIdentities());
        lists.forEach((field, list) -> {
            if (list != null && !list.isEmpty()) {
                throw ValidationException.field(
                        field,
                        "Keyhaven templates do not add members; send an empty list and "
                                + "add members to the project after creating it");
            }
        });
    }

    static List<ProjectRoleService.Definition> roles(List<RoleIn> raw, ObjectMapper json) {
        List<ProjectRoleService.Definition> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        checkSize("roles", raw, json);
        Set<String> slugs = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < raw.size(); i++) {
            String at = "roles." + i;
            RoleIn r = raw.get(i);
            if (r == null) {
                throw ValidationException.invalidType(at, "object", "null");
            }
            String slug = ProjectRoleService.checkSlug(at + ".slug", r.slug());
            if (r.name() == null || r.name().isBlank()) {
                throw ValidationException.required(at + ".name");
            }
            String name = r.name().strip();
            if (name.length() > 128) {
                throw ValidationException.field(at + ".name", "String must contain at most 128 character(s)");
            }
            if (ProjectRoleService.isReservedName(name)) {
                throw ValidationException.field(at + ".name", "Role name \"" + name + "\" is reserved");
            }
            if (!slugs.add(slug)) {
                throw ValidationException.field(at + ".slug", "Role slugs must be unique");
            }
            if (!names.add(name.toLowerCase(Locale.ROOT))) {
                throw ValidationException.field(at + ".name", "Role names must be unique");
            }
            out.add(new ProjectRoleService.Definition(
                    slug, name, RuleParser.normalize(at + ".permissions", r.permissions())));
        }
        return out;
    }

    static List<ProjectTemplate.Env> environments(List<EnvIn> raw, ObjectMapper json) {
        checkSize("environments", raw, json);
        List<ProjectTemplate.Env> out = new ArrayList<>();
        Set<String> slugs = new HashSet<>();
        Set<String> names = new HashSet<>();
        Set<Integer> positions = new HashSet<>();
        for (int i = 0; i < raw.size(); i++) {
            String at = "environments." + i;
            EnvIn e = raw.get(i);
            if (e == null) {
                throw ValidationException.invalidType(at, "object", "null");
            }
            if (e.name() == null || e.name().isBlank()) {
                throw ValidationException.required(at + ".name");
            }
            String name = e.name().strip();
            if (name.length() > 64) {
                throw ValidationException.field(at + ".name", "String must contain at most 64 character(s)");
            }
            if (e.slug() == null || e.slug().isEmpty()) {
                throw ValidationException.required(at + ".slug");
            }
            if (e.slug().length() > 64
                    || !EnvironmentService.ENV_SLUG.matcher(e.slug()).matches()) {
                throw ValidationException.field(
                        at + ".slug", "Slug must be at most 64 lower-case letters, digits, '-' or '_'");
            }
            if (e.position() == null) {
                throw ValidationException.invalidType(at + ".position", "number", "undefined");
            }
            if (!slugs.add(e.slug())) {
                throw ValidationException.field(at + ".slug", "Environment slugs must be unique");
            }
            if (!names.add(name)) {
                throw ValidationException.field(at + ".name", "Environment names must be unique");
            }
            if (e.position() < 1 || e.position() > raw.size() || !positions.add(e.position())) {
                throw ValidationException.field(
                        at + ".position",
                        "One or more of the positions specified is invalid. Positions must be sequential starting from 1.");
            }
            out.add(new ProjectTemplate.Env(name, e.slug(), e.position()));
        }
        out.sort(Comparator.comparingInt(ProjectTemplate.Env::position));
        return out;
    }

    private static void checkSize(String field, List<?> raw, ObjectMapper json) {
        if (json.writeValueAsString(raw).getBytes(StandardCharsets.UTF_8).length > MAX_LIST_BYTES) {
            throw ValidationException.field(field, "Size limit exceeded");
        }
    }
}
