-- Reminder notes are sealed under the project's data key from now on, like comments. The notes
-- written before are marked as clear text, so they still read, until the server seals them after
-- start-up (ClearReminderNotes) or their secret is next written.
UPDATE secrets SET reminder_note = 'clear:' || reminder_note WHERE reminder_note IS NOT NULL;
UPDATE secret_versions SET reminder_note = 'clear:' || reminder_note WHERE reminder_note IS NOT NULL;
-- Tells ClearReminderNotes there is something to seal, so that later starts skip the scan.
INSERT INTO instance_meta (name, value)
SELECT 'clear-reminder-notes', 'pending'
WHERE EXISTS (SELECT 1 FROM secrets WHERE reminder_note IS NOT NULL)
   OR EXISTS (SELECT 1 FROM secret_versions WHERE reminder_note IS NOT NULL);
