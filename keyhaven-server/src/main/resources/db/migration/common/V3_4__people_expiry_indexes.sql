-- Expired session tokens, single-use tokens and old sessions are purged hourly; these indexes
-- keep the purge from scanning the tables.
CREATE INDEX user_session_tokens_expiry ON user_session_tokens (expires_at);
CREATE INDEX user_tokens_expiry ON user_tokens (expires_at);
CREATE INDEX user_sessions_expiry ON user_sessions (expires_at);
