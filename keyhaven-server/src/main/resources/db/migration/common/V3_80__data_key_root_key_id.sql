-- Which root key wrapped a root-wrapped key (org, instance and digest keys): the wrapper's stable
-- id, so a root key rotation can tell what is left to re-wrap. NULL for keys wrapped before this
-- column existed (by whichever root key the node is given; the rotation fills it in).
ALTER TABLE data_keys ADD COLUMN root_key_id VARCHAR(300);
