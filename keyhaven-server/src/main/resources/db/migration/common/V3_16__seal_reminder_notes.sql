-- Reminder notes are sealed under the project's data key from now on, like comments. The notes
-- written before are marked as clear text, so they still read; each is sealed when its secret is
-- next written (the history keeps what it had).
UPDATE secrets SET reminder_note = 'clear:' || reminder_note WHERE reminder_note IS NOT NULL;
UPDATE secret_versions SET reminder_note = 'clear:' || reminder_note WHERE reminder_note IS NOT NULL;
