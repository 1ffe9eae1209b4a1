-- Every write to the tables that decide project permissions moves access_epoch (see V3_7).
-- The triggers are deferred to commit: the epoch row is then the last lock a transaction takes,
-- so two transactions changing access data in different orders cannot deadlock on it, and the
-- new counter becomes visible together with the change. Cascaded deletes count as well.
CREATE FUNCTION keyhaven_bump_access_epoch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE access_epoch SET value = value + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;
CREATE CONSTRAINT TRIGGER project_memberships_epoch AFTER INSERT OR UPDATE OR DELETE ON project_memberships
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION keyhaven_bump_access_epoch();
CREATE CONSTRAINT TRIGGER project_membership_roles_epoch AFTER INSERT OR UPDATE OR DELETE ON project_membership_roles
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION keyhaven_bump_access_epoch();
CREATE CONSTRAINT TRIGGER project_roles_epoch AFTER INSERT OR UPDATE OR DELETE ON project_roles
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION keyhaven_bump_access_epoch();
CREATE CONSTRAINT TRIGGER additional_privileges_epoch AFTER INSERT OR UPDATE OR DELETE ON additional_privileges
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION keyhaven_bump_access_epoch();
CREATE CONSTRAINT TRIGGER org_groups_epoch AFTER INSERT OR UPDATE OR DELETE ON org_groups
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION keyhaven_bump_access_epoch();
CREATE CONSTRAINT TRIGGER group_members_epoch AFTER INSERT OR UPDATE OR DELETE ON group_members
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION keyhaven_bump_access_epoch();
