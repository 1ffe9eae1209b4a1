-- Org-level groups of users and machine identities. A group joins projects through
-- project_memberships (actor_type 'group'); its members inherit those roles.
CREATE TABLE org_groups (
    id          VARCHAR(36) PRIMARY KEY,
    org_id      VARCHAR(36) NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name        VARCHAR(64) NOT NULL,
    slug        VARCHAR(64) NOT NULL,
    role        VARCHAR(64) NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    UNIQUE (org_id, slug)
);

CREATE TABLE group_members (
    group_id     VARCHAR(36) NOT NULL REFERENCES org_groups (id) ON DELETE CASCADE,
    member_type  VARCHAR(16) NOT NULL,
    member_id    VARCHAR(36) NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (group_id, member_type, member_id)
);
CREATE INDEX group_members_member ON group_members (member_type, member_id);
