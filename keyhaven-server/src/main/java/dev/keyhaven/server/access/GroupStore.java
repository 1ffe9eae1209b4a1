package dev.keyhaven.server.access;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for org groups and their members. */
@Repository
class GroupStore {
    record GroupRow(String id, String orgId, String name, String slug, String role, long createdAt, long updatedAt) {}

    record MemberRow(String memberType, String memberId, long joinedAt) {}

    private static final RowMapper<GroupRow> ROW = (rs, i) -> new GroupRow(rs.getString("id"), rs.getString("org_id"),
            rs.getString("name"), rs.getString("slug"), rs.getString("role"), rs.getLong("created_at"), rs.getLong("updated_at"));

    private final JdbcClient jdbc;

    GroupStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(GroupRow g) {
        jdbc.sql("INSERT INTO org_groups (id, org_id, name, slug, role, created_at, updated_at) VALUES (?,?,?,?,?,?,?)")
                .params(g.id(), g.orgId(), g.name(), g.slug(), g.role(), g.createdAt(), g.updatedAt())
                .update();
    }

    void update(GroupRow g) {
        jdbc.sql("UPDATE org_groups SET name = ?, slug = ?, role = ?, updated_at = ? WHERE id = ?")
                .params(g.name(), g.slug(), g.role(), g.updatedAt(), g.id())
                .update();
    }

    void delete(String id) {
        jdbc.sql("DELETE FROM project_memberships WHERE actor_type = 'group' AND actor_id = ?").param(id).update();
        jdbc.sql("DELETE FROM org_groups WHERE id = ?").param(id).update();
    }

    Optional<GroupRow> byId(String id) {
        return jdbc.sql("SELECT * FROM org_groups WHERE id = ?").param(id).query(ROW).optional();
    }

    Optional<GroupRow> byName(String orgId, String name) {
        return jdbc.sql("SELECT * FROM org_groups WHERE org_id = ? AND (name = ? OR slug = ?)").params(orgId, name, name)
                .query(ROW).optional();
    }

    boolean slugTaken(String orgId, String slug) {
        return jdbc.sql("SELECT COUNT(*) FROM org_groups WHERE org_id = ? AND slug = ?").params(orgId, slug)
                .query(Long.class).single() > 0;
    }

    List<GroupRow> list(String orgId) {
        return jdbc.sql("SELECT * FROM org_groups WHERE org_id = ? ORDER BY name").param(orgId).query(ROW).list();
    }

    void addMember(String groupId, String type, String memberId, long now) {
        jdbc.sql("INSERT INTO group_members (group_id, member_type, member_id, created_at) VALUES (?,?,?,?)")
                .params(groupId, type, memberId, now)
                .update();
    }

    int removeMember(String groupId, String type, String memberId) {
        return jdbc.sql("DELETE FROM group_members WHERE group_id = ? AND member_type = ? AND member_id = ?")
                .params(groupId, type, memberId)
                .update();
    }

    void removeFromAll(String type, String memberId) {
        jdbc.sql("DELETE FROM group_members WHERE member_type = ? AND member_id = ?").params(type, memberId).update();
    }

    boolean isMember(String groupId, String type, String memberId) {
        return jdbc.sql("SELECT COUNT(*) FROM group_members WHERE group_id = ? AND member_type = ? AND member_id = ?")
                .params(groupId, type, memberId).query(Long.class).single() > 0;
    }

    List<MemberRow> members(String groupId, String type) {
        return jdbc.sql("SELECT member_type, member_id, created_at FROM group_members WHERE group_id = ? AND member_type = ? ORDER BY created_at")
                .params(groupId, type)
                .query((rs, i) -> new MemberRow(rs.getString(1), rs.getString(2), rs.getLong(3)))
                .list();
    }
}
