-- Every write to what a secret listing shows moves its project's content_revision (see V3_9).
-- Deferred to commit, like the access epoch's triggers: the project row is then the last lock a
-- writing transaction takes (no lock-order deadlocks), and the new revision becomes visible
-- together with the change. A row removed by cascade after its parent has gone finds no project;
-- the parent's own trigger has moved the counter already.
CREATE FUNCTION keyhaven_environments_content_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        UPDATE projects SET content_revision = content_revision + 1 WHERE id = NEW.project_id;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        UPDATE projects SET content_revision = content_revision + 1 WHERE id = OLD.project_id;
    END IF;
    RETURN NULL;
END;
$$;
CREATE CONSTRAINT TRIGGER environments_content AFTER INSERT OR UPDATE OR DELETE ON environments
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION keyhaven_environments_content_changed();
CREATE FUNCTION keyhaven_folders_content_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        UPDATE projects SET content_revision = content_revision + 1 WHERE id = (SELECT project_id FROM environments WHERE id = NEW.env_id);
    END IF;
    IF TG_OP <> 'INSERT' THEN
        UPDATE projects SET content_revision = content_revision + 1 WHERE id = (SELECT project_id FROM environments WHERE id = OLD.env_id);
    END IF;
    RETURN NULL;
END;
$$;
CREATE CONSTRAINT TRIGGER folders_content AFTER INSERT OR UPDATE OR DELETE ON folders
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION keyhaven_folders_content_changed();
CREATE FUNCTION keyhaven_secrets_content_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        UPDATE projects SET content_revision = content_revision + 1 WHERE id = NEW.project_id;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        UPDATE projects SET content_revision = content_revision + 1 WHERE id = OLD.project_id;
    END IF;
    RETURN NULL;
END;
$$;
CREATE CONSTRAINT TRIGGER secrets_content AFTER INSERT OR UPDATE OR DELETE ON secrets
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION keyhaven_secrets_content_changed();
CREATE FUNCTION keyhaven_tags_content_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        UPDATE projects SET content_revision = content_revision + 1 WHERE id = NEW.project_id;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        UPDATE projects SET content_revision = content_revision + 1 WHERE id = OLD.project_id;
    END IF;
    RETURN NULL;
END;
$$;
CREATE CONSTRAINT TRIGGER tags_content AFTER INSERT OR UPDATE OR DELETE ON tags
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION keyhaven_tags_content_changed();
CREATE FUNCTION keyhaven_secret_tags_content_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        UPDATE projects SET content_revision = content_revision + 1 WHERE id = (SELECT project_id FROM secrets WHERE id = NEW.secret_id);
    END IF;
    IF TG_OP <> 'INSERT' THEN
        UPDATE projects SET content_revision = content_revision + 1 WHERE id = (SELECT project_id FROM secrets WHERE id = OLD.secret_id);
    END IF;
    RETURN NULL;
END;
$$;
CREATE CONSTRAINT TRIGGER secret_tags_content AFTER INSERT OR UPDATE OR DELETE ON secret_tags
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION keyhaven_secret_tags_content_changed();
CREATE FUNCTION keyhaven_secret_imports_content_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        UPDATE projects SET content_revision = content_revision + 1 WHERE id = (SELECT e.project_id FROM folders f JOIN environments e ON e.id = f.env_id WHERE f.id = NEW.folder_id);
    END IF;
    IF TG_OP <> 'INSERT' THEN
        UPDATE projects SET content_revision = content_revision + 1 WHERE id = (SELECT e.project_id FROM folders f JOIN environments e ON e.id = f.env_id WHERE f.id = OLD.folder_id);
    END IF;
    RETURN NULL;
END;
$$;
CREATE CONSTRAINT TRIGGER secret_imports_content AFTER INSERT OR UPDATE OR DELETE ON secret_imports
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION keyhaven_secret_imports_content_changed();
