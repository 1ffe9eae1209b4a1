-- Credential digests are keyed from a random instance digest key (wrapped by the root key) from now
-- on. Digests written before are HMACs under a key derived from the root key itself; this marker
-- tells the server to derive that key once more at its next start and keep it wrapped, so those
-- tokens, client secrets, sessions and codes keep working. A new database gets no marker.
INSERT INTO instance_meta (name, value)
SELECT 'legacy-credential-digests', 'present'
WHERE EXISTS (SELECT 1 FROM identity_access_tokens)
   OR EXISTS (SELECT 1 FROM identity_ua_client_secrets)
   OR EXISTS (SELECT 1 FROM user_sessions)
   OR EXISTS (SELECT 1 FROM user_session_tokens)
   OR EXISTS (SELECT 1 FROM user_tokens)
   OR EXISTS (SELECT 1 FROM user_recovery_codes);
