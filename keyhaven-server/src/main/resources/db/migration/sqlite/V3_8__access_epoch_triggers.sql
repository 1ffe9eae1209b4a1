-- Every write to the tables that decide project permissions moves access_epoch (see V3_7).
-- SQLite runs triggers for foreign-key cascades too, so deleting a project or group counts.
CREATE TRIGGER project_memberships_epoch_insert AFTER INSERT ON project_memberships
BEGIN
    UPDATE access_epoch SET value = value + 1 WHERE id = 1;
END;
CREATE TRIGGER project_memberships_epoch_update AFTER UPDATE ON project_memberships
BEGIN
    UPDATE access_epoch SET value = value + 1 WHERE id = 1;
END;
CREATE TRIGGER project_memberships_epoch_delete AFTER DELETE ON project_memberships
BEGIN
    UPDATE access_epoch SET value = value + 1 WHERE id = 1;
END;
CREATE TRIGGER project_membership_roles_epoch_insert AFTER INSERT ON project_membership_roles
BEGIN
    UPDATE access_epoch SET value = value + 1 WHERE id = 1;
END;
CREATE TRIGGER project_membership_roles_epoch_update AFTER UPDATE ON project_membership_roles
BEGIN
    UPDATE access_epoch SET value = value + 1 WHERE id = 1;
END;
CREATE TRIGGER project_membership_roles_epoch_delete AFTER DELETE ON project_membership_roles
BEGIN
    UPDATE access_epoch SET value = value + 1 WHERE id = 1;
END;
CREATE TRIGGER project_roles_epoch_insert AFTER INSERT ON project_roles
BEGIN
    UPDATE access_epoch SET value = value + 1 WHERE id = 1;
END;
CREATE TRIGGER project_roles_epoch_update AFTER UPDATE ON project_roles
BEGIN
    UPDATE access_epoch SET value = value + 1 WHERE id = 1;
END;
CREATE TRIGGER project_roles_epoch_delete AFTER DELETE ON project_roles
BEGIN
    UPDATE access_epoch SET value = value + 1 WHERE id = 1;
END;
CREATE TRIGGER additional_privileges_epoch_insert AFTER INSERT ON additional_privileges
BEGIN
    UPDATE access_epoch SET value = value + 1 WHERE id = 1;
END;
CREATE TRIGGER additional_privileges_epoch_update AFTER UPDATE ON additional_privileges
BEGIN
    UPDATE access_epoch SET value = value + 1 WHERE id = 1;
END;
CREATE TRIGGER additional_privileges_epoch_delete AFTER DELETE ON additional_privileges
BEGIN
    UPDATE access_epoch SET value = value + 1 WHERE id = 1;
END;
CREATE TRIGGER org_groups_epoch_insert AFTER INSERT ON org_groups
BEGIN
    UPDATE access_epoch SET value = value + 1 WHERE id = 1;
END;
CREATE TRIGGER org_groups_epoch_update AFTER UPDATE ON org_groups
BEGIN
    UPDATE access_epoch SET value = value + 1 WHERE id = 1;
END;
CREATE TRIGGER org_groups_epoch_delete AFTER DELETE ON org_groups
BEGIN
    UPDATE access_epoch SET value = value + 1 WHERE id = 1;
END;
CREATE TRIGGER group_members_epoch_insert AFTER INSERT ON group_members
BEGIN
    UPDATE access_epoch SET value = value + 1 WHERE id = 1;
END;
CREATE TRIGGER group_members_epoch_update AFTER UPDATE ON group_members
BEGIN
    UPDATE access_epoch SET value = value + 1 WHERE id = 1;
END;
CREATE TRIGGER group_members_epoch_delete AFTER DELETE ON group_members
BEGIN
    UPDATE access_epoch SET value = value + 1 WHERE id = 1;
END;
