package dev.keyhaven.server.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for org groups and their members. */
@Repository
class GroupStore {
    record GroupRow(String id, String orgId, String name, String slug, String role, long createdAt, long updatedAt) {}

    record MemberRow(String memberType, String memberId, long joinedAt) {}

    /** A person of the group's org, with when they joined the group (null when they are not in it). */
    record PersonRow(String id, String email, String username, String firstName, String lastName, Long joinedAt) {}

    record IdentityRow(String id, String name, Long joinedAt) {}

    /** A member of either kind, with the fields the member list shows (identity name or person's names). */
    record AnyMemberRow(
            String memberType,
            String memberId,
            long joinedAt,
            String email,
            String username,
            String firstName,
            String lastName,
            String identityName) {}

    record Page<T>(List<T> rows, long total) {}

    /**
     * The org role a group gives its members: the slug, and when it names a custom org role that
     * role's id, stored rules and last change (all null for a built-in slug).
     */
    record GroupOrgRole(String role, String customRoleId, String permissions, Long updatedAt) {}

    private static final String NAME_ORDER = """
            LOWER(COALESCE(NULLIF(TRIM(COALESCE(u.first_name, '') || ' ' || COALESCE(u.last_name, '')), ''), u.username, %s))""";

    private static final RowMapper<GroupRow> ROW = (rs, i) -> new GroupRow(
            rs.getString("id"),
            rs.getString("org_id"),
            rs.getString("name"),
            rs.getString("slug"),
            rs.getString("role"),
            rs.getLong("created_at"),
            rs.getLong("updated_at"));

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
        jdbc.sql("DELETE FROM project_memberships WHERE actor_type = 'group' AND actor_id = ?")
                .param(id)
                .update();
        jdbc.sql("DELETE FROM org_groups WHERE id = ?").param(id).update();
    }

    Optional<GroupRow> byId(String id) {
        return jdbc.sql("SELECT * FROM org_groups WHERE id = ?")
                .param(id)
                .query(ROW)
                .optional();
    }

    Optional<GroupRow> byName(String orgId, String name) {
        return jdbc.sql("SELECT * FROM org_groups WHERE org_id = ? AND (name = ? OR slug = ?)")
                .params(orgId, name, name)
                .query(ROW)
                .optional();
    }

    boolean slugTaken(String orgId, String slug) {
        return jdbc.sql("SELECT COUNT(*) FROM org_groups WHERE org_id = ? AND slug = ?")
                        .params(orgId, slug)
                        .query(Long.class)
                        .single()
                > 0;
    }

    List<GroupRow> list(String orgId) {
        return jdbc.sql("SELECT * FROM org_groups WHERE org_id = ? ORDER BY name")
                .param(orgId)
                .query(ROW)
                .list();
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
        jdbc.sql("DELETE FROM group_members WHERE member_type = ? AND member_id = ?")
                .params(type, memberId)
                .update();
    }

    /** Takes the member out of every group of one organization (it left the organization). */
    void removeFromAllInOrg(String type, String memberId, String orgId) {
        jdbc.sql("""
                DELETE FROM group_members WHERE member_type = ? AND member_id = ?
                    AND group_id IN (SELECT id FROM org_groups WHERE org_id = ?)""").params(type, memberId, orgId).update();
    }

    /**
     * The distinct org roles of the groups of {@code orgId} the member belongs to, with the custom
     * role behind each slug, in one query. Groups of other organizations never count.
     */
    List<GroupOrgRole> orgRolesOf(String orgId, String memberType, String memberId) {
        return jdbc.sql("""
                SELECT DISTINCT g.role, r.id, r.permissions, r.updated_at
                FROM group_members gm
                JOIN org_groups g ON g.id = gm.group_id
                LEFT JOIN org_roles r ON r.org_id = g.org_id AND r.slug = g.role
                WHERE gm.member_type = ? AND gm.member_id = ? AND g.org_id = ?""")
                .params(memberType, memberId, orgId)
                .query((rs, i) -> new GroupOrgRole(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getObject(4) == null ? null : rs.getLong(4)))
                .list();
    }

    boolean isMember(String groupId, String type, String memberId) {
        return jdbc.sql("SELECT COUNT(*) FROM group_members WHERE group_id = ? AND member_type = ? AND member_id = ?")
                        .params(groupId, type, memberId)
                        .query(Long.class)
                        .single()
                > 0;
    }

    /**
     * The people of the org, each flagged with whether they are in the group, ordered by name.
     * {@code search} matches names and username, {@code username} the username only (both
     * lower-case substrings); {@code inGroup} keeps only members (true) or non-members (false).
     */
    Page<PersonRow> people(
            String orgId, String groupId, String search, String username, Boolean inGroup, int offset, int limit) {
        StringBuilder where = new StringBuilder("""
                FROM org_memberships m JOIN users u ON u.id = m.actor_id
                LEFT JOIN group_members gm ON gm.group_id = ? AND gm.member_type = 'user' AND gm.member_id = u.id
                WHERE m.org_id = ? AND m.actor_type = 'user'""");
        List<Object> params = new ArrayList<>(List.of(groupId, orgId));
        if (search != null) {
            where.append(
                    " AND LOWER(COALESCE(u.first_name, '') || ' ' || COALESCE(u.last_name, '') || ' ' || u.username)"
                            + " LIKE ? ESCAPE '\\'");
            params.add(contains(search));
        } else if (username != null) {
            where.append(" AND LOWER(u.username) LIKE ? ESCAPE '\\'");
            params.add(contains(username));
        }
        if (inGroup != null) {
            where.append(inGroup ? " AND gm.member_id IS NOT NULL" : " AND gm.member_id IS NULL");
        }
        long total = jdbc.sql("SELECT COUNT(*) " + where)
                .params(params)
                .query(Long.class)
                .single();
        List<Object> pageParams = new ArrayList<>(params);
        pageParams.add(limit);
        pageParams.add(offset);
        List<PersonRow> rows = jdbc.sql("SELECT u.id, u.email, u.username, u.first_name, u.last_name, gm.created_at "
                        + where + " ORDER BY " + NAME_ORDER.formatted("u.email").strip() + ", u.id LIMIT ? OFFSET ?")
                .params(pageParams)
                .query((rs, i) -> new PersonRow(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getObject(6) == null ? null : rs.getLong(6)))
                .list();
        return new Page<>(rows, total);
    }

    /** The org's machine identities, each with when it joined the group (null when it is not in it). */
    Page<IdentityRow> identities(String orgId, String groupId, String search, Boolean inGroup, int offset, int limit) {
        StringBuilder where = new StringBuilder("""
                FROM identities i
                LEFT JOIN group_members gm ON gm.group_id = ? AND gm.member_type = 'identity' AND gm.member_id = i.id
                WHERE i.org_id = ?""");
        List<Object> params = new ArrayList<>(List.of(groupId, orgId));
        if (search != null) {
            where.append(" AND LOWER(i.name) LIKE ? ESCAPE '\\'");
            params.add(contains(search));
        }
        if (inGroup != null) {
            where.append(inGroup ? " AND gm.member_id IS NOT NULL" : " AND gm.member_id IS NULL");
        }
        long total = jdbc.sql("SELECT COUNT(*) " + where)
                .params(params)
                .query(Long.class)
                .single();
        List<Object> pageParams = new ArrayList<>(params);
        pageParams.add(limit);
        pageParams.add(offset);
        List<IdentityRow> rows = jdbc.sql("SELECT i.id, i.name, gm.created_at " + where
                        + " ORDER BY LOWER(i.name), i.id LIMIT ? OFFSET ?")
                .params(pageParams)
                .query((rs, i) -> new IdentityRow(
                        rs.getString(1), rs.getString(2), rs.getObject(3) == null ? null : rs.getLong(3)))
                .list();
        return new Page<>(rows, total);
    }

    /**
     * The group's members of the given kinds ({@code user}, {@code identity}), ordered by name
     * (a person's full name or username, an identity's name); {@code search} matches those names.
     */
    Page<AnyMemberRow> anyMembers(
            String groupId, List<String> types, String search, boolean descending, int offset, int limit) {
        StringBuilder where = new StringBuilder("""
                FROM group_members gm
                LEFT JOIN users u ON gm.member_type = 'user' AND u.id = gm.member_id
                LEFT JOIN identities i ON gm.member_type = 'identity' AND i.id = gm.member_id
                WHERE gm.group_id = ? AND gm.member_type IN (""");
        List<Object> params = new ArrayList<>(List.of(groupId));
        for (int i = 0; i < types.size(); i++) {
            where.append(i == 0 ? "?" : ", ?");
            params.add(types.get(i));
        }
        where.append(")");
        if (search != null) {
            where.append(" AND LOWER(COALESCE(u.first_name, '') || ' ' || COALESCE(u.last_name, '') || ' '"
                    + " || COALESCE(u.username, '') || ' ' || COALESCE(i.name, '')) LIKE ? ESCAPE '\\'");
            params.add(contains(search));
        }
        long total = jdbc.sql("SELECT COUNT(*) " + where)
                .params(params)
                .query(Long.class)
                .single();
        List<Object> pageParams = new ArrayList<>(params);
        pageParams.add(limit);
        pageParams.add(offset);
        String direction = descending ? " DESC" : " ASC";
        List<AnyMemberRow> rows = jdbc.sql("""
                SELECT gm.member_type, gm.member_id, gm.created_at, u.email, u.username, u.first_name, u.last_name, i.name\s"""
                        + where + " ORDER BY " + NAME_ORDER.formatted("i.name").strip() + direction + ", gm.member_id"
                        + direction + " LIMIT ? OFFSET ?")
                .params(pageParams)
                .query((rs, i) -> new AnyMemberRow(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getLong(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getString(8)))
                .list();
        return new Page<>(rows, total);
    }

    /** A LIKE pattern for a lower-case substring, with the wildcards of the input escaped. */
    private static String contains(String text) {
        return "%"
                + text.toLowerCase(Locale.ROOT)
                        .replace("\\", "\\\\")
                        .replace("%", "\\%")
                        .replace("_", "\\_") + "%";
    }

    List<MemberRow> members(String groupId, String type) {
        return jdbc.sql(
                        "SELECT member_type, member_id, created_at FROM group_members WHERE group_id = ? AND member_type = ? ORDER BY created_at")
                .params(groupId, type)
                .query((rs, i) -> new MemberRow(rs.getString(1), rs.getString(2), rs.getLong(3)))
                .list();
    }
}
