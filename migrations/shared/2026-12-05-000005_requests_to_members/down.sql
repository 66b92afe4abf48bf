DROP INDEX action_item_replies_organization;
DROP TABLE action_item_replies;
ALTER TABLE action_items DROP COLUMN addressee_organization_ids;
ALTER TABLE action_items DROP COLUMN addressed_to_members;
