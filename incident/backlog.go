package incident

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
)

// Action items reach their team's backlog through the team's notifiers: a
// webhook notifier posts the message as JSON (event "action_item", the
// item's fields under "fields", the postmortem's address under "url"), so
// an issue tracker's incoming webhook or a small bridge can create or
// update the item by its ID; chat and e-mail notifiers show the same
// facts to people.
//
// The engine follows the store's audit trail of action items rather than
// being called by the API: every server sees every change, whoever made
// it and however (API, admin UI, another server), and a change made just
// before a restart is still sent. Each audit entry is one version of an
// item, and the outbox key names it, so a version is sent once however
// many servers or ticks see it.

// AuditFeed lists audit entries of one kind of object changed since a time
// (store.DB.AuditSince).
type AuditFeed interface {
	AuditSince(ctx context.Context, entity string, since time.Time, limit int) ([]status.AuditEntry, error)
}

// backlogOverlap is how far back each look at the audit trail reaches
// before the previous one, so a change committed late (a slow transaction
// on another server) is not missed; backlogLookback is how far the first
// look after a start reaches back.
const (
	backlogOverlap  = 2 * time.Minute
	backlogLookback = 15 * time.Minute
	backlogBatch    = 500
)

// backlogState is what the engine remembers between looks: where to look
// from and which entries it has handled.
type backlogState struct {
	since time.Time
	seen  map[int64]time.Time // audit entry ID → its time
}

// SendActionItems enqueues a notice to the owning team's notifiers for
// every action item created, or changed in status or team, since the
// previous call. Tick calls it; it does nothing when the store keeps no
// audit feed.
func (e *Engine) SendActionItems(ctx context.Context, now time.Time, plan status.Plan) (bool, error) {
	feed, ok := e.Store.(AuditFeed)
	if !ok {
		return false, nil
	}
	e.backlogMu.Lock()
	defer e.backlogMu.Unlock()
	if e.backlog.seen == nil {
		e.backlog = backlogState{since: now.Add(-backlogLookback), seen: map[int64]time.Time{}}
	}
	from := e.backlog.since.Add(-backlogOverlap)
	entries, err := feed.AuditSince(ctx, "action_item", from, backlogBatch)
	if err != nil {
		return false, fmt.Errorf("incident: action item changes: %w", err)
	}
	sent := false
	pms := map[int64]*status.PostmortemRecord{}
	for _, ae := range entries {
		if _, done := e.backlog.seen[ae.ID]; done {
			continue
		}
		msg, team, send, err := e.actionItemMessage(ctx, ae, pms)
		if err != nil {
			return sent, err
		}
		if send {
			n, err := e.enqueueTeam(ctx, fmt.Sprintf("action_item/%d/%d", ae.EntityID, ae.ID), team, msg, plan)
			if err != nil {
				return sent, err
			}
			sent = sent || n
		}
		e.backlog.seen[ae.ID] = ae.At
	}
	e.backlog.since = now
	if len(entries) == backlogBatch {
		// More than one batch changed: go on from the last one next time.
		e.backlog.since = entries[len(entries)-1].At.Add(backlogOverlap)
	}
	for id, at := range e.backlog.seen {
		if at.Before(from) {
			delete(e.backlog.seen, id)
		}
	}
	return sent, nil
}

// actionItemMessage words the notice of one action item change, and says
// whether the change is news for a backlog: a new item, a new status, or a
// new owning team (who then hears of it).
func (e *Engine) actionItemMessage(ctx context.Context, ae status.AuditEntry, pms map[int64]*status.PostmortemRecord) (status.Message, string, bool, error) {
	var before, after status.Action
	if ae.After == "" || json.Unmarshal([]byte(ae.After), &after) != nil {
		return status.Message{}, "", false, nil // not an item version this code knows
	}
	change := "created"
	if ae.Before != "" {
		if err := json.Unmarshal([]byte(ae.Before), &before); err != nil {
			return status.Message{}, "", false, nil
		}
		switch {
		case before.Team != after.Team:
			change = "team"
		case before.Status != after.Status:
			change = "status"
		default:
			return status.Message{}, "", false, nil // an edit of wording or date only
		}
	}
	inc, err := e.Store.Incident(ctx, after.IncidentID)
	if safetynet.ErrorCode(err) == safetynet.ENOTFOUND {
		return status.Message{}, "", false, nil
	}
	if err != nil {
		return status.Message{}, "", false, fmt.Errorf("incident: action item %d: %w", ae.EntityID, err)
	}
	pm, ok := pms[inc.ID]
	if !ok {
		if ps, isPS := e.Store.(status.PostmortemStore); isPS {
			if got, err := ps.Postmortem(ctx, inc.ID); err == nil {
				pm = &got
			}
		}
		pms[inc.ID] = pm
	}
	item := after.ActionItem
	item.ID = ae.EntityID
	return ActionItemMessage(inc, pm, item, before.Status, change, e.pageURL(), ae.At), item.Team, true, nil
}

// ActionItemMessage is the notice of an action item for its team: change
// is "created", "status" (previous is the old status) or "team". The URL
// is the published postmortem, or the incident's page in the admin UI
// while the postmortem is internal.
func ActionItemMessage(inc status.Incident, pm *status.PostmortemRecord, item status.ActionItem, previous, change, baseURL string, at time.Time) status.Message {
	base := strings.TrimSuffix(baseURL, "/")
	id := strconv.FormatInt(inc.ID, 10)
	link := base + "/admin/incidents/" + id
	if pm != nil && pm.Published {
		link = base + "/incidents/" + id + "/postmortem"
	}
	due := item.Due.UTC().Format(time.DateOnly)
	title := "New action item: " + item.Title
	switch change {
	case "status":
		title = fmt.Sprintf("Action item %s: %s", strings.ReplaceAll(item.Status, "_", " "), item.Title)
	case "team":
		title = "Action item assigned to " + item.Team + ": " + item.Title
	}
	fields := map[string]string{
		"action_item_id": strconv.FormatInt(item.ID, 10),
		"title":          item.Title,
		"kind":           string(item.Kind),
		"team":           item.Team,
		"due":            due,
		"status":         item.Status,
		"change":         change,
		"incident_id":    id,
		"incident":       inc.Title,
		"postmortem_url": link,
	}
	if change == "status" && previous != "" {
		fields["previous_status"] = previous
	}
	return status.Message{Event: status.EventActionItem, Title: title, Team: item.Team, URL: link, At: at.UTC(), Fields: fields,
		Text: fmt.Sprintf("A %s action item from the postmortem of incident %s (%s), owned by %s, due %s, status %s.",
			item.Kind, id, inc.Title, item.Team, due, item.Status)}
}

// pageURL is the base of links in engine messages.
func (e *Engine) pageURL() string {
	if e.BaseURL != "" {
		return e.BaseURL
	}
	if e.Subscribers != nil {
		return e.Subscribers.PageURL
	}
	return ""
}

// enqueueTeam queues msg for a team's notifiers under key/notifier.
func (e *Engine) enqueueTeam(ctx context.Context, key, team string, msg status.Message, plan status.Plan) (bool, error) {
	msg.ID = key
	var ns []status.Notification
	for _, t := range plan.Teams {
		if t.Name != team {
			continue
		}
		for _, n := range t.Notifiers {
			ns = append(ns, status.Notification{Key: key + "/" + n, Notifier: n, Message: msg, Created: msg.At, NextAttempt: msg.At})
		}
	}
	if len(ns) == 0 {
		e.log().Warn("action item for a team with no notifiers", "team", team, "key", key)
		return false, nil
	}
	added, err := e.Store.Enqueue(ctx, ns)
	if err != nil {
		return false, fmt.Errorf("incident: enqueue %s: %w", key, err)
	}
	return added > 0, nil
}
