package dev.keyhaven.server.project;

import dev.keyhaven.server.access.ProjectRoleService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import tools.jackson.databind.ObjectMapper;

/**
 * How one project now differs from a template: environments and custom roles the template has
 * and the project lacks (missing), the project has and the template lacks (extra), and those
 * both have under the same slug but with another name, position or rule set (changed). Rules are
 * compared in a canonical form, so the order of rules, of actions and of {@code $in} values does
 * not count as a difference. A template without environments (a non-secret-manager type) leaves
 * environments out of the comparison.
 */
record TemplateDrift(
        List<ProjectTemplate.Env> missingEnvironments,
        List<Environment> extraEnvironments,
        List<EnvChange> changedEnvironments,
        List<ProjectRoleService.Definition> missingRoles,
        List<ProjectRoleService.Definition> extraRoles,
        List<RoleChange> changedRoles) {

    /** An environment both have, with the fields that differ. */
    record EnvChange(Environment current, ProjectTemplate.Env wanted) {
        boolean nameDiffers() {
            return !current.name().equals(wanted.name());
        }

        boolean positionDiffers() {
            return current.position() != wanted.position();
        }
    }

    /** A custom role both have, with the fields that differ ({@code name}, {@code permissions}). */
    record RoleChange(
            ProjectRoleService.Definition current, ProjectRoleService.Definition wanted, List<String> fields) {}

    static TemplateDrift of(
            ProjectTemplate template,
            List<Environment> envs,
            List<ProjectRoleService.Definition> roles,
            ObjectMapper json) {
        List<ProjectTemplate.Env> missingEnvs = new ArrayList<>();
        List<Environment> extraEnvs = new ArrayList<>();
        List<EnvChange> changedEnvs = new ArrayList<>();
        if (template.environments() != null) {
            Map<String, Environment> bySlug =
                    envs.stream().collect(Collectors.toMap(Environment::slug, Function.identity()));
            for (ProjectTemplate.Env wanted : template.environments()) {
                Environment current = bySlug.get(wanted.slug());
                if (current == null) {
                    missingEnvs.add(wanted);
                } else if (!current.name().equals(wanted.name()) || current.position() != wanted.position()) {
                    changedEnvs.add(new EnvChange(current, wanted));
                }
            }
            List<String> wantedSlugs = template.environments().stream()
                    .map(ProjectTemplate.Env::slug)
                    .toList();
            envs.stream().filter(e -> !wantedSlugs.contains(e.slug())).forEach(extraEnvs::add);
        }
        Map<String, ProjectRoleService.Definition> roleBySlug =
                roles.stream().collect(Collectors.toMap(ProjectRoleService.Definition::slug, Function.identity()));
        List<ProjectRoleService.Definition> missingRoles = new ArrayList<>();
        List<RoleChange> changedRoles = new ArrayList<>();
        for (ProjectRoleService.Definition wanted : template.roles()) {
            ProjectRoleService.Definition current = roleBySlug.get(wanted.slug());
            if (current == null) {
                missingRoles.add(wanted);
                continue;
            }
            List<String> fields = new ArrayList<>();
            if (!current.name().equals(wanted.name())) {
                fields.add("name");
            }
            if (!canonical(current.permissions(), json).equals(canonical(wanted.permissions(), json))) {
                fields.add("permissions");
            }
            if (!fields.isEmpty()) {
                changedRoles.add(new RoleChange(current, wanted, fields));
            }
        }
        List<String> wantedRoles = template.roles().stream()
                .map(ProjectRoleService.Definition::slug)
                .toList();
        List<ProjectRoleService.Definition> extraRoles =
                roles.stream().filter(r -> !wantedRoles.contains(r.slug())).toList();
        return new TemplateDrift(missingEnvs, extraEnvs, changedEnvs, missingRoles, extraRoles, changedRoles);
    }

    boolean isEmpty() {
        return missingEnvironments.isEmpty()
                && extraEnvironments.isEmpty()
                && changedEnvironments.isEmpty()
                && missingRoles.isEmpty()
                && extraRoles.isEmpty()
                && changedRoles.isEmpty();
    }

    Map<String, Object> toJson() {
        Map<String, Object> envs = new LinkedHashMap<>();
        envs.put(
                "missing",
                missingEnvironments.stream()
                        .map(e -> env(e.name(), e.slug(), e.position()))
                        .toList());
        envs.put(
                "extra",
                extraEnvironments.stream()
                        .map(e -> env(e.name(), e.slug(), e.position()))
                        .toList());
        envs.put(
                "changed",
                changedEnvironments.stream()
                        .map(c -> {
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("slug", c.current().slug());
                            List<String> fields = new ArrayList<>();
                            if (c.nameDiffers()) {
                                fields.add("name");
                            }
                            if (c.positionDiffers()) {
                                fields.add("position");
                            }
                            m.put("fields", fields);
                            m.put(
                                    "project",
                                    env(
                                            c.current().name(),
                                            c.current().slug(),
                                            c.current().position()));
                            m.put(
                                    "template",
                                    env(
                                            c.wanted().name(),
                                            c.wanted().slug(),
                                            c.wanted().position()));
                            return m;
                        })
                        .toList());
        Map<String, Object> roles = new LinkedHashMap<>();
        roles.put("missing", missingRoles.stream().map(r -> role(r, false)).toList());
        roles.put("extra", extraRoles.stream().map(r -> role(r, false)).toList());
        roles.put(
                "changed",
                changedRoles.stream()
                        .map(c -> {
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("slug", c.current().slug());
                            m.put("fields", c.fields());
                            m.put("project", role(c.current(), true));
                            m.put("template", role(c.wanted(), true));
                            return m;
                        })
                        .toList());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("environments", envs);
        out.put("roles", roles);
        return out;
    }

    private static Map<String, Object> env(String name, String slug, int position) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("slug", slug);
        m.put("position", position);
        return m;
    }

    private static Map<String, Object> role(ProjectRoleService.Definition d, boolean withPermissions) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", d.name());
        m.put("slug", d.slug());
        if (withPermissions) {
            m.put("permissions", d.permissions());
        }
        return m;
    }

    /** Normalized rules as one string that ignores the order of rules, actions and {@code $in} values. */
    static String canonical(List<Map<String, Object>> rules, ObjectMapper json) {
        return rules.stream()
                .map(r -> json.writeValueAsString(sorted(r, null)))
                .sorted()
                .collect(Collectors.joining("\n"));
    }

    @SuppressWarnings("unchecked")
    private static Object sorted(Object value, String key) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new TreeMap<>();
            ((Map<String, Object>) map).forEach((k, v) -> out.put(k, sorted(v, k)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out =
                    new ArrayList<>(list.stream().map(v -> sorted(v, null)).toList());
            if ("action".equals(key) || "$in".equals(key)) {
                out.sort((a, b) -> String.valueOf(a).compareTo(String.valueOf(b)));
            }
            return out;
        }
        return value;
    }
}
