package dev.keyhaven.server.project;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for projects and their environments. */
@Repository
class ProjectStore {
    private static final RowMapper<Project> PROJECT = (rs, i) -> new Project(
            rs.getString("id"),
            rs.getString("org_id"),
            rs.getString("name"),
            rs.getString("slug"),
            rs.getString("description"),
            rs.getString("type"),
            rs.getInt("version"),
            rs.getBoolean("auto_capitalization"),
            rs.getBoolean("has_delete_protection"),
            rs.getLong("created_at"),
            rs.getLong("updated_at"),
            rs.getLong("content_revision"));
    private static final RowMapper<Environment> ENV = (rs, i) -> new Environment(
            rs.getString("id"),
            rs.getString("project_id"),
            rs.getString("name"),
            rs.getString("slug"),
            rs.getInt("position"),
            rs.getLong("created_at"),
            rs.getLong("updated_at"));

    private final JdbcClient jdbc;

    ProjectStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Project p) {
        jdbc.sql("""
                INSERT INTO projects (id, org_id, name, slug, description, type, version, auto_capitalization,
                    has_delete_protection, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)""")
                .params(
                        p.id(),
                        p.orgId(),
                        p.name(),
                        p.slug(),
                        p.description(),
                        p.type(),
                        p.version(),
                        p.autoCapitalization(),
                        p.hasDeleteProtection(),
                        p.createdAt(),
                        p.updatedAt())
                .update();
    }

    void update(Project p) {
        jdbc.sql("""
                UPDATE projects SET name = ?, slug = ?, description = ?, auto_capitalization = ?,
                    has_delete_protection = ?, updated_at = ? WHERE id = ?""")
                .params(
                        p.name(),
                        p.slug(),
                        p.description(),
                        p.autoCapitalization(),
                        p.hasDeleteProtection(),
                        p.updatedAt(),
                        p.id())
                .update();
    }

    void delete(String id) {
        jdbc.sql("DELETE FROM projects WHERE id = ?").param(id).update();
    }

    Optional<Project> find(String id) {
        return jdbc.sql("SELECT * FROM projects WHERE id = ?")
                .param(id)
                .query(PROJECT)
                .optional();
    }

    Optional<Project> findBySlug(String orgId, String slug) {
        return jdbc.sql("SELECT * FROM projects WHERE org_id = ? AND slug = ?")
                .params(orgId, slug)
                .query(PROJECT)
                .optional();
    }

    boolean slugTaken(String orgId, String slug) {
        return jdbc.sql("SELECT COUNT(*) FROM projects WHERE org_id = ? AND slug = ?")
                        .params(orgId, slug)
                        .query(Long.class)
                        .single()
                > 0;
    }

    /** The org's projects the actor belongs to, directly or through one of its groups. */
    List<Project> listForMember(String orgId, String actorType, String actorId) {
        return jdbc.sql("""
                SELECT p.* FROM projects p
                WHERE p.org_id = ? AND p.id IN (SELECT m.project_id FROM project_memberships m
                    WHERE (m.actor_type = ? AND m.actor_id = ?) OR (m.actor_type = 'group' AND m.actor_id IN
                        (SELECT group_id FROM group_members WHERE member_type = ? AND member_id = ?)))
                ORDER BY p.created_at, p.id""")
                .params(orgId, actorType, actorId, actorType, actorId)
                .query(PROJECT)
                .list();
    }

    void insertEnv(Environment e) {
        jdbc.sql(
                        "INSERT INTO environments (id, project_id, name, slug, position, created_at, updated_at) VALUES (?,?,?,?,?,?,?)")
                .params(e.id(), e.projectId(), e.name(), e.slug(), e.position(), e.createdAt(), e.updatedAt())
                .update();
    }

    void updateEnv(Environment e) {
        jdbc.sql("UPDATE environments SET name = ?, slug = ?, position = ?, updated_at = ? WHERE id = ?")
                .params(e.name(), e.slug(), e.position(), e.updatedAt(), e.id())
                .update();
    }

    void deleteEnv(String id) {
        jdbc.sql("DELETE FROM environments WHERE id = ?").param(id).update();
    }

    List<Environment> envs(String projectId) {
        return jdbc.sql("SELECT * FROM environments WHERE project_id = ? ORDER BY position, created_at")
                .param(projectId)
                .query(ENV)
                .list();
    }

    Optional<Environment> envBySlug(String projectId, String slug) {
        return jdbc.sql("SELECT * FROM environments WHERE project_id = ? AND slug = ?")
                .params(projectId, slug)
                .query(ENV)
                .optional();
    }

    Optional<Environment> env(String id) {
        return jdbc.sql("SELECT * FROM environments WHERE id = ?")
                .param(id)
                .query(ENV)
                .optional();
    }

    void setPosition(String envId, int position) {
        jdbc.sql("UPDATE environments SET position = ? WHERE id = ?")
                .params(position, envId)
                .update();
    }
}
