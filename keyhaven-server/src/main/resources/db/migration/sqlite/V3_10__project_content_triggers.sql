-- Every write to what a secret listing shows moves its project's content_revision (see V3_9).
-- A row removed by cascade after its parent has gone finds no project here; the parent's own
-- trigger (or the project's deletion) has moved or removed the counter already.
CREATE TRIGGER environments_content_insert AFTER INSERT ON environments
BEGIN
    UPDATE projects SET content_revision = content_revision + 1 WHERE id = NEW.project_id;
END;
CREATE TRIGGER environments_content_delete AFTER DELETE ON environments
BEGIN
    UPDATE projects SET content_revision = content_revision + 1 WHERE id = OLD.project_id;
END;
CREATE TRIGGER environments_content_update AFTER UPDATE ON environments
BEGIN
    UPDATE projects SET content_revision = content_revision + 1 WHERE id = NEW.project_id;
    UPDATE projects SET content_revision = content_revision + 1 WHERE id = OLD.project_id;
END;
CREATE TRIGGER folders_content_insert AFTER INSERT ON folders
BEGIN
    UPDATE projects SET content_revision = content_revision + 1 WHERE id = (SELECT project_id FROM environments WHERE id = NEW.env_id);
END;
CREATE TRIGGER folders_content_delete AFTER DELETE ON folders
BEGIN
    UPDATE projects SET content_revision = content_revision + 1 WHERE id = (SELECT project_id FROM environments WHERE id = OLD.env_id);
END;
CREATE TRIGGER folders_content_update AFTER UPDATE ON folders
BEGIN
    UPDATE projects SET content_revision = content_revision + 1 WHERE id = (SELECT project_id FROM environments WHERE id = NEW.env_id);
    UPDATE projects SET content_revision = content_revision + 1 WHERE id = (SELECT project_id FROM environments WHERE id = OLD.env_id);
END;
CREATE TRIGGER secrets_content_insert AFTER INSERT ON secrets
BEGIN
    UPDATE projects SET content_revision = content_revision + 1 WHERE id = NEW.project_id;
END;
CREATE TRIGGER secrets_content_delete AFTER DELETE ON secrets
BEGIN
    UPDATE projects SET content_revision = content_revision + 1 WHERE id = OLD.project_id;
END;
CREATE TRIGGER secrets_content_update AFTER UPDATE ON secrets
BEGIN
    UPDATE projects SET content_revision = content_revision + 1 WHERE id = NEW.project_id;
    UPDATE projects SET content_revision = content_revision + 1 WHERE id = OLD.project_id;
END;
CREATE TRIGGER tags_content_insert AFTER INSERT ON tags
BEGIN
    UPDATE projects SET content_revision = content_revision + 1 WHERE id = NEW.project_id;
END;
CREATE TRIGGER tags_content_delete AFTER DELETE ON tags
BEGIN
    UPDATE projects SET content_revision = content_revision + 1 WHERE id = OLD.project_id;
END;
CREATE TRIGGER tags_content_update AFTER UPDATE ON tags
BEGIN
    UPDATE projects SET content_revision = content_revision + 1 WHERE id = NEW.project_id;
    UPDATE projects SET content_revision = content_revision + 1 WHERE id = OLD.project_id;
END;
CREATE TRIGGER secret_tags_content_insert AFTER INSERT ON secret_tags
BEGIN
    UPDATE projects SET content_revision = content_revision + 1 WHERE id = (SELECT project_id FROM secrets WHERE id = NEW.secret_id);
END;
CREATE TRIGGER secret_tags_content_delete AFTER DELETE ON secret_tags
BEGIN
    UPDATE projects SET content_revision = content_revision + 1 WHERE id = (SELECT project_id FROM secrets WHERE id = OLD.secret_id);
END;
CREATE TRIGGER secret_tags_content_update AFTER UPDATE ON secret_tags
BEGIN
    UPDATE projects SET content_revision = content_revision + 1 WHERE id = (SELECT project_id FROM secrets WHERE id = NEW.secret_id);
    UPDATE projects SET content_revision = content_revision + 1 WHERE id = (SELECT project_id FROM secrets WHERE id = OLD.secret_id);
END;
CREATE TRIGGER secret_imports_content_insert AFTER INSERT ON secret_imports
BEGIN
    UPDATE projects SET content_revision = content_revision + 1 WHERE id = (SELECT e.project_id FROM folders f JOIN environments e ON e.id = f.env_id WHERE f.id = NEW.folder_id);
END;
CREATE TRIGGER secret_imports_content_delete AFTER DELETE ON secret_imports
BEGIN
    UPDATE projects SET content_revision = content_revision + 1 WHERE id = (SELECT e.project_id FROM folders f JOIN environments e ON e.id = f.env_id WHERE f.id = OLD.folder_id);
END;
CREATE TRIGGER secret_imports_content_update AFTER UPDATE ON secret_imports
BEGIN
    UPDATE projects SET content_revision = content_revision + 1 WHERE id = (SELECT e.project_id FROM folders f JOIN environments e ON e.id = f.env_id WHERE f.id = NEW.folder_id);
    UPDATE projects SET content_revision = content_revision + 1 WHERE id = (SELECT e.project_id FROM folders f JOIN environments e ON e.id = f.env_id WHERE f.id = OLD.folder_id);
END;
