-- Notification channels of an organization (Slack, Microsoft Teams, signed webhooks) that
-- features such as approval policies send to through the outbox. The kind's settings, which hold
-- credentials (webhook URLs carry tokens, bot tokens, signing secrets), are one JSON object sealed
-- with the org key and bound to the row's id; nothing in clear can be used to post.
CREATE TABLE notification_channels (
    id             VARCHAR(36) PRIMARY KEY,
    org_id         VARCHAR(36) NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name           VARCHAR(64) NOT NULL,
    type           VARCHAR(32) NOT NULL,
    sealed_config  TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    UNIQUE (org_id, name)
);
