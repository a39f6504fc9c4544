-- Several servers on one database: every write to data the public page
-- shows sends a NOTIFY on channel safetynet_changes, so each server drops
-- its cached page at once (store.DB.Changes). The payload is the table
-- "schema.table": servers of another schema in the same database ignore it. A statement-level trigger sends one notice per statement, and
-- PostgreSQL folds identical notices of one transaction into one.
CREATE FUNCTION safetynet_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('safetynet_changes', TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME);
	RETURN NULL;
END;
$$;

CREATE TRIGGER components_changed AFTER INSERT OR UPDATE OR DELETE ON components
	FOR EACH STATEMENT EXECUTE FUNCTION safetynet_notify_change();
CREATE TRIGGER changes_changed AFTER INSERT OR UPDATE OR DELETE ON changes
	FOR EACH STATEMENT EXECUTE FUNCTION safetynet_notify_change();
CREATE TRIGGER incidents_changed AFTER INSERT OR UPDATE OR DELETE ON incidents
	FOR EACH STATEMENT EXECUTE FUNCTION safetynet_notify_change();
CREATE TRIGGER incident_updates_changed AFTER INSERT OR UPDATE OR DELETE ON incident_updates
	FOR EACH STATEMENT EXECUTE FUNCTION safetynet_notify_change();
CREATE TRIGGER maintenances_changed AFTER INSERT OR UPDATE OR DELETE ON maintenances
	FOR EACH STATEMENT EXECUTE FUNCTION safetynet_notify_change();
CREATE TRIGGER known_issues_changed AFTER INSERT OR UPDATE OR DELETE ON known_issues
	FOR EACH STATEMENT EXECUTE FUNCTION safetynet_notify_change();
CREATE TRIGGER postmortems_changed AFTER INSERT OR UPDATE OR DELETE ON postmortems
	FOR EACH STATEMENT EXECUTE FUNCTION safetynet_notify_change();
-- Production deployments mark the page's latency charts.
CREATE TRIGGER deployments_changed AFTER INSERT OR UPDATE OR DELETE ON deployments
	FOR EACH STATEMENT EXECUTE FUNCTION safetynet_notify_change();
