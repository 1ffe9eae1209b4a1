package dev.keyhaven.server.project;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for project templates and the links from projects to the template they were made from. */
@Repository
class ProjectTemplateStore {
    record TemplateRow(
            String id,
            String orgId,
            String name,
            String description,
            String type,
            String environments,
            String roles,
            int version,
            long createdAt,
            long updatedAt) {}

    record Link(String projectId, String templateId, int templateVersion) {}

    private static final RowMapper<TemplateRow> ROW = (rs, i) -> new TemplateRow(
            rs.getString("id"),
            rs.getString("org_id"),
            rs.getString("name"),
            rs.getString("description"),
            rs.getString("type"),
            rs.getString("environments"),
            rs.getString("roles"),
            rs.getInt("version"),
            rs.getLong("created_at"),
            rs.getLong("updated_at"));
    private static final RowMapper<Link> LINK =
            (rs, i) -> new Link(rs.getString("project_id"), rs.getString("template_id"), rs.getInt("template_version"));

    private final JdbcClient jdbc;

    ProjectTemplateStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(TemplateRow t) {
        jdbc.sql("""
                INSERT INTO project_templates (id, org_id, name, description, type, environments, roles, version,
                    created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)""")
                .params(
                        t.id(),
                        t.orgId(),
                        t.name(),
                        t.description(),
                        t.type(),
                        t.environments(),
                        t.roles(),
                        t.version(),
                        t.createdAt(),
                        t.updatedAt())
                .update();
    }

    /** Writes {@code t} over the row at {@code t.version() - 1}; false when another change got there first. */
    boolean update(TemplateRow t) {
        return jdbc.sql("""
                UPDATE project_templates SET name = ?, description = ?, environments = ?, roles = ?, version = ?,
                    updated_at = ? WHERE id = ? AND version = ?""")
                        .params(
                                t.name(),
                                t.description(),
                                t.environments(),
                                t.roles(),
                                t.version(),
                                t.updatedAt(),
                                t.id(),
                                t.version() - 1)
                        .update()
                == 1;
    }

    void delete(String id) {
        jdbc.sql("DELETE FROM project_template_links WHERE template_id = ?")
                .param(id)
                .update();
        jdbc.sql("DELETE FROM project_templates WHERE id = ?").param(id).update();
    }

    Optional<TemplateRow> byId(String id) {
        return jdbc.sql("SELECT * FROM project_templates WHERE id = ?")
                .param(id)
                .query(ROW)
                .optional();
    }

    Optional<TemplateRow> byName(String orgId, String name) {
        return jdbc.sql("SELECT * FROM project_templates WHERE org_id = ? AND name = ?")
                .params(orgId, name)
                .query(ROW)
                .optional();
    }

    List<TemplateRow> list(String orgId, String type) {
        if (type == null) {
            return jdbc.sql("SELECT * FROM project_templates WHERE org_id = ? ORDER BY name")
                    .param(orgId)
                    .query(ROW)
                    .list();
        }
        return jdbc.sql("SELECT * FROM project_templates WHERE org_id = ? AND type = ? ORDER BY name")
                .params(orgId, type)
                .query(ROW)
                .list();
    }

    void insertLink(String projectId, String templateId, int version, long now) {
        jdbc.sql("""
                INSERT INTO project_template_links (project_id, template_id, template_version, created_at, updated_at)
                VALUES (?,?,?,?,?)""").params(projectId, templateId, version, now, now).update();
    }

    void setLinkVersion(String projectId, int version, long now) {
        jdbc.sql("UPDATE project_template_links SET template_version = ?, updated_at = ? WHERE project_id = ?")
                .params(version, now, projectId)
                .update();
    }

    List<Link> links(String templateId) {
        return jdbc.sql("""
                SELECT l.* FROM project_template_links l JOIN projects p ON p.id = l.project_id
                WHERE l.template_id = ? ORDER BY p.created_at, p.id""").param(templateId).query(LINK).list();
    }

    Optional<Link> link(String projectId) {
        return jdbc.sql("SELECT * FROM project_template_links WHERE project_id = ?")
                .param(projectId)
                .query(LINK)
                .optional();
    }
}
