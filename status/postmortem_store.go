package status

import "context"

// PostmortemStore keeps postmortems, one per incident, and their action
// items. Each method that changes something writes an audit entry in the
// same transaction (entity "postmortem" with the incident's ID, or
// "action_item" with the item's ID).
type PostmortemStore interface {
	// CreatePostmortem stores the first postmortem of an incident. It fails
	// with ECONFLICT when the incident already has one, so a drafted
	// postmortem never replaces one people have edited; ENOTFOUND when
	// there is no such incident.
	CreatePostmortem(ctx context.Context, pm PostmortemRecord, actor string) (PostmortemRecord, error)
	// SavePostmortem creates or replaces an incident's postmortem. Its
	// Actions are ignored: action items are saved one by one with
	// SaveActionItem. Publishing (Published with no PublishedAt) stamps the
	// time; unpublishing clears it.
	SavePostmortem(ctx context.Context, pm PostmortemRecord, actor string) (PostmortemRecord, error)
	// Postmortem returns an incident's postmortem with its action items, or
	// ENOTFOUND.
	Postmortem(ctx context.Context, incidentID int64) (PostmortemRecord, error)
	// Postmortems lists postmortems with their action items, newest first
	// (by publication when publishedOnly).
	Postmortems(ctx context.Context, publishedOnly bool) ([]PostmortemRecord, error)
	// SaveActionItem adds an item (ID 0) to an incident's postmortem or
	// replaces one; ENOTFOUND when the postmortem or the item does not
	// exist.
	SaveActionItem(ctx context.Context, incidentID int64, a ActionItem, actor string) (ActionItem, error)
	// ActionItems lists the action items of one incident's postmortem in
	// the order they were added, or with incidentID 0 every item not yet
	// done, soonest due first: the remediation backlog.
	ActionItems(ctx context.Context, incidentID int64) ([]Action, error)
}
