package incident

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/notify"
	"github.com/safetynet-dev/safetynet/notify/email"
	"github.com/safetynet-dev/safetynet/status"
)

// Subscriber tokens and webhook secrets are derived, never stored: each is
// an HMAC of the subscriber's random nonce under the server's subscriber key
// (status.SubscriberStore.SubscriberKey). The store keeps only the SHA-256
// digests it looks subscribers up by, so a leaked subscribers table does not
// let anyone unsubscribe or confirm for someone else, and the outbox never
// holds a token: links are added when a message is sent.

// derive returns purpose's token for nonce under key, URL-safe.
func derive(key []byte, purpose, nonce string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("safetynet subscriber " + purpose + "\x00" + nonce))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// ConfirmToken is the token in a subscriber's confirmation link.
func ConfirmToken(key []byte, s status.Subscriber) string { return derive(key, "confirm", s.Nonce) }

// UnsubscribeToken is the token in a subscriber's unsubscribe links.
func UnsubscribeToken(key []byte, s status.Subscriber) string {
	return derive(key, "unsubscribe", s.Nonce)
}

// WebhookSecret is the secret a webhook subscriber verifies signatures
// with; it is shown once, at signup.
func WebhookSecret(key []byte, s status.Subscriber) string {
	return "whsec_" + derive(key, "webhook", s.Nonce)
}

// NewSubscriber makes a subscriber ready to store: a fresh nonce, the
// digests of its tokens, and for a webhook confirmed at once (whoever signs
// it up gets the secret, which is the proof). E-mail subscribers wait for
// their confirmation link.
func NewSubscriber(key []byte, kind status.SubscriberKind, address string, components []string, now time.Time) (status.Subscriber, error) {
	nonce := make([]byte, 16)
	rand.Read(nonce)
	s := status.Subscriber{Kind: kind, Address: strings.TrimSpace(address), Components: components, Created: now.UTC(), Nonce: hex.EncodeToString(nonce)}
	s.UnsubscribeHash = status.HashToken(UnsubscribeToken(key, s))
	if kind == status.SubscriberWebhook {
		t := s.Created
		s.Confirmed, s.ConfirmedAt = true, &t
	} else {
		s.ConfirmHash = status.HashToken(ConfirmToken(key, s))
	}
	if err := s.Validate(); err != nil {
		return status.Subscriber{}, err
	}
	return s, nil
}

// NotifierName is the outbox notifier name of a subscriber.
func NotifierName(id int64) string { return "subscriber:" + strconv.FormatInt(id, 10) }

// SubscriberID parses a notifier name made by NotifierName.
func SubscriberID(name string) (int64, bool) {
	rest, ok := strings.CutPrefix(name, "subscriber:")
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseInt(rest, 10, 64)
	return id, err == nil && id > 0
}

// payloadField is the Message field that carries the Statuspage-shaped
// webhook body (without meta) from the outbox to the notifier.
const payloadField = "statuspage_payload"

// ConfirmationNotification is the outbox entry that mails a new e-mail
// subscriber their confirmation link (the link is added when it is sent).
func ConfirmationNotification(s status.Subscriber, pageName string, now time.Time) status.Notification {
	key := fmt.Sprintf("subscriber/%d/confirm/%s", s.ID, s.Nonce)
	return status.Notification{Key: key, Notifier: NotifierName(s.ID), Created: now, NextAttempt: now,
		Message: status.Message{ID: messageID(key), Event: status.EventSubscribeConfirm, At: now,
			Title: "Confirm your subscription to " + pageName,
			Text:  "Someone, hopefully you, asked to be told about incidents and maintenance on " + pageName + ". Open the link below to confirm; if it was not you, ignore this message and nothing more will be sent."}}
}

// messageID is a receiver-facing ID for a key: stable across retries.
func messageID(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:12])
}

// Announcer enqueues notices to subscribers. Each notice goes through the
// outbox, one per confirmed subscriber who cares about an affected
// component, under a key stable per event and subscriber, so calling it
// again for the same event (another server, another tick) adds nothing.
type Announcer struct {
	Subscribers status.SubscriberStore
	Outbox      status.Outbox
	// PageID and PageURL fill the payload's page and links.
	PageID  string
	PageURL string
	// Indicator gives the page's current indicator; nil derives it from
	// the incident's impact.
	Indicator func(ctx context.Context) (status.Indicator, error)
	// Components gives the configured components, for their names in
	// payloads; nil uses the IDs.
	Components func() []status.Component
	Now        func() time.Time
}

// IncidentByID loads incident id from s and announces its latest update
// (see Incident). A nil Announcer announces nothing, so the engine can call
// it unconditionally.
func (a *Announcer) IncidentByID(ctx context.Context, s status.IncidentStore, id int64) (int, error) {
	if a == nil {
		return 0, nil
	}
	inc, err := s.Incident(ctx, id)
	if err != nil {
		return 0, fmt.Errorf("incident: announce %d: %w", id, err)
	}
	return a.Incident(ctx, inc)
}

// MaintenanceLead is how long before a window subscribers hear of it, and
// MaintenanceTail how long after its end "completed" may still be sent
// (after a restart, say).
const (
	MaintenanceLead = 24 * time.Hour
	MaintenanceTail = time.Hour
)

// Maintenances announces each window in its current phase: "scheduled"
// within lead of its start, "in_progress" while it runs and "completed"
// within MaintenanceTail of its end. Call it every tick: each phase is
// enqueued once. A nil Announcer announces nothing.
func (a *Announcer) Maintenances(ctx context.Context, s status.MaintenanceStore, lead time.Duration) (int, error) {
	if a == nil {
		return 0, nil
	}
	now := a.now()
	ms, err := s.Maintenances(ctx, now.Add(-MaintenanceTail), now.Add(lead))
	if err != nil {
		return 0, fmt.Errorf("incident: maintenances: %w", err)
	}
	total := 0
	for _, m := range ms {
		var phase string
		switch {
		case now.Before(m.Start):
			phase = "scheduled"
		case now.Before(m.End):
			phase = "in_progress"
		default:
			phase = "completed"
		}
		n, err := a.Maintenance(ctx, m, phase)
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

// names maps component IDs to their names.
func (a *Announcer) names() map[string]string {
	if a.Components == nil {
		return nil
	}
	out := map[string]string{}
	for _, c := range a.Components() {
		out[c.ID] = c.Name
	}
	return out
}

func named(names map[string]string, id string) string {
	if n := names[id]; n != "" {
		return n
	}
	return id
}

func (a *Announcer) now() time.Time {
	if a.Now == nil {
		return time.Now().UTC()
	}
	return a.Now().UTC()
}

// Incident tells subscribers about the latest update of a public incident:
// call it when the incident is posted publicly and after each update
// (including the resolution). Internal and merged incidents are skipped.
func (a *Announcer) Incident(ctx context.Context, inc status.Incident) (int, error) {
	if !inc.Public || inc.MergedInto != 0 || len(inc.Updates) == 0 {
		return 0, nil
	}
	u := inc.Updates[len(inc.Updates)-1]
	ind := status.Indicator{Indicator: inc.Impact, Description: string(inc.Impact)}
	if inc.Status == status.Resolved {
		ind = status.Indicator{Indicator: status.ImpactNone}
	}
	payload := spIncidentOf(inc, a.PageID, a.PageURL, a.names())
	var comps []string
	for _, c := range inc.Components {
		comps = append(comps, c.Component)
	}
	word := map[status.IncidentStatus]string{status.Investigating: "Investigating", status.Identified: "Identified", status.Monitoring: "Monitoring", status.Resolved: "Resolved"}[inc.Status]
	msg := status.Message{Event: status.EventIncident, Title: "[" + word + "] " + inc.Title, Text: u.Body,
		URL: payload.Shortlink, At: u.At}
	return a.enqueue(ctx, fmt.Sprintf("incident/%d/update/%d", inc.ID, u.ID), comps, msg, map[string]any{"incident": payload}, ind)
}

// Maintenance tells subscribers about a maintenance window; phase is
// "scheduled" (the advance notice), "in_progress" or "completed".
func (a *Announcer) Maintenance(ctx context.Context, m status.Maintenance, phase string) (int, error) {
	start, end := m.Start.UTC(), m.End.UTC()
	id := "maintenance-" + strconv.FormatInt(m.ID, 10)
	p := spIncident{ID: id, Name: m.Title, Status: phase, CreatedAt: start, UpdatedAt: a.now(), Impact: "maintenance",
		Shortlink: strings.TrimSuffix(a.PageURL, "/") + "/maintenance/" + strconv.FormatInt(m.ID, 10), StartedAt: start,
		PageID: a.PageID, IncidentUpdates: []spUpdate{}, Components: []spComponent{}, ScheduledFor: &start, ScheduledUntil: &end}
	names := a.names()
	for _, c := range m.Components {
		p.Components = append(p.Components, spComponent{ID: c, Name: named(names, c), Status: string(status.UnderMaintenance)})
	}
	text := map[string]string{
		"scheduled":   "Maintenance is scheduled from %s to %s UTC.",
		"in_progress": "Maintenance is in progress (%s to %s UTC).",
		"completed":   "Maintenance is complete (%s to %s UTC).",
	}[phase]
	if text == "" {
		return 0, fmt.Errorf("incident: maintenance %d: unknown phase %q", m.ID, phase)
	}
	msg := status.Message{Event: status.EventMaintenance, Title: "[Maintenance] " + m.Title, URL: p.Shortlink, At: a.now(),
		Text: fmt.Sprintf(text, start.Format("Jan 2 15:04"), end.Format("Jan 2 15:04"))}
	return a.enqueue(ctx, fmt.Sprintf("maintenance/%d/%s", m.ID, phase), m.Components, msg, map[string]any{"incident": p}, status.Indicator{Indicator: status.ImpactNone})
}

// ComponentUpdate tells subscribers who follow a component that its public
// status went from old to new at at (when the change began). The engine
// calls it once the new status has held for the policy's minimum time, so
// a flapping check tells nobody; the key names the change, so it is sent
// once.
func (a *Announcer) ComponentUpdate(ctx context.Context, c status.Component, old, new status.Status, at time.Time) (int, error) {
	if a == nil {
		return 0, nil
	}
	at = at.UTC()
	updateID := fmt.Sprintf("%s-%d", c.ID, at.UnixMilli())
	comp := spComponentFull{ID: c.ID, Name: c.Name, Status: string(new), CreatedAt: at, UpdatedAt: at, Position: c.Position,
		Showcase: true, PageID: a.PageID}
	if c.Description != "" {
		d := c.Description
		comp.Description = &d
	}
	if c.Group != "" {
		g := status.GroupID(c.Group)
		comp.GroupID = &g
	}
	upd := spComponentUpdate{ID: updateID, ComponentID: c.ID, ComponentType: "Component", OldStatus: string(old), NewStatus: string(new), CreatedAt: at}
	name := c.Name
	if name == "" {
		name = c.ID
	}
	msg := status.Message{Event: status.EventComponentUpdate, Title: fmt.Sprintf("%s: %s", name, statusWords(new)), Component: c.ID, Status: new,
		URL: strings.TrimSuffix(a.PageURL, "/") + "/", At: at,
		Text: fmt.Sprintf("%s changed from %s to %s at %s UTC.", name, statusWords(old), statusWords(new), at.Format("Jan 2 15:04"))}
	return a.enqueue(ctx, "component/"+updateID, []string{c.ID}, msg, map[string]any{"component_update": upd, "component": comp}, status.Indicator{Indicator: status.ImpactOf(new)})
}

func statusWords(s status.Status) string {
	if s == "" {
		return "unknown"
	}
	return strings.ReplaceAll(string(s), "_", " ")
}

// enqueue queues msg for every confirmed subscriber who wants one of comps,
// with bodies (the Statuspage payload's objects besides meta and page) for
// webhooks.
func (a *Announcer) enqueue(ctx context.Context, event string, comps []string, msg status.Message, bodies map[string]any, ind status.Indicator) (int, error) {
	if a.Indicator != nil {
		cur, err := a.Indicator(ctx)
		if err != nil {
			return 0, fmt.Errorf("incident: page indicator: %w", err)
		}
		ind = cur
	}
	if ind.Description == "" || ind.Description == string(ind.Indicator) {
		ind.Description = indicatorText(ind.Indicator)
	}
	body := map[string]any{"page": spPage{ID: a.PageID, StatusIndicator: string(ind.Indicator), StatusDescription: ind.Description}}
	for k, v := range bodies {
		body[k] = v
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return 0, fmt.Errorf("incident: subscriber payload: %w", err)
	}
	subs, err := a.Subscribers.Subscribers(ctx, true)
	if err != nil {
		return 0, fmt.Errorf("incident: subscribers: %w", err)
	}
	now := a.now()
	var ns []status.Notification
	for _, s := range subs {
		if !s.Wants(comps) {
			continue
		}
		key := fmt.Sprintf("subscriber/%d/%s", s.ID, event)
		m := msg
		m.ID = messageID(key)
		m.Fields = map[string]string{payloadField: string(raw)}
		ns = append(ns, status.Notification{Key: key, Notifier: NotifierName(s.ID), Message: m, Created: now, NextAttempt: now})
	}
	added, err := a.Outbox.Enqueue(ctx, ns)
	if err != nil {
		return 0, fmt.Errorf("incident: enqueue subscriber notices: %w", err)
	}
	return added, nil
}

func indicatorText(i status.Impact) string {
	switch i {
	case status.ImpactMinor:
		return "Minor Service Outage"
	case status.ImpactMajor:
		return "Partial System Outage"
	case status.ImpactCritical:
		return "Major Service Outage"
	}
	return "All Systems Operational"
}

// The Statuspage shapes of a subscriber webhook body.
type (
	spMeta struct {
		Unsubscribe   string `json:"unsubscribe"`
		Documentation string `json:"documentation"`
	}
	spPage struct {
		ID                string `json:"id"`
		StatusIndicator   string `json:"status_indicator"`
		StatusDescription string `json:"status_description"`
	}
	spComponent struct {
		ID     string `json:"id"`
		Name   string `json:"name"`
		Status string `json:"status"`
	}
	spUpdate struct {
		ID         string    `json:"id"`
		Status     string    `json:"status"`
		Body       string    `json:"body"`
		IncidentID string    `json:"incident_id"`
		CreatedAt  time.Time `json:"created_at"`
		UpdatedAt  time.Time `json:"updated_at"`
		DisplayAt  time.Time `json:"display_at"`
	}
	spComponentUpdate struct {
		ID            string    `json:"id"`
		ComponentID   string    `json:"component_id"`
		ComponentType string    `json:"component_type"`
		OldStatus     string    `json:"old_status"`
		NewStatus     string    `json:"new_status"`
		CreatedAt     time.Time `json:"created_at"`
	}
	spComponentFull struct {
		ID          string    `json:"id"`
		Name        string    `json:"name"`
		Status      string    `json:"status"`
		CreatedAt   time.Time `json:"created_at"`
		UpdatedAt   time.Time `json:"updated_at"`
		Position    int       `json:"position"`
		Description *string   `json:"description"`
		Showcase    bool      `json:"showcase"`
		PageID      string    `json:"page_id"`
		GroupID     *string   `json:"group_id"`
	}
	spIncident struct {
		ID              string        `json:"id"`
		Name            string        `json:"name"`
		Status          string        `json:"status"`
		CreatedAt       time.Time     `json:"created_at"`
		UpdatedAt       time.Time     `json:"updated_at"`
		MonitoringAt    *time.Time    `json:"monitoring_at"`
		ResolvedAt      *time.Time    `json:"resolved_at"`
		Impact          string        `json:"impact"`
		Shortlink       string        `json:"shortlink"`
		StartedAt       time.Time     `json:"started_at"`
		PageID          string        `json:"page_id"`
		IncidentUpdates []spUpdate    `json:"incident_updates"`
		Components      []spComponent `json:"components"`
		ScheduledFor    *time.Time    `json:"scheduled_for,omitempty"`
		ScheduledUntil  *time.Time    `json:"scheduled_until,omitempty"`
	}
)

func spIncidentOf(inc status.Incident, pageID, pageURL string, names map[string]string) spIncident {
	id := strconv.FormatInt(inc.ID, 10)
	out := spIncident{ID: id, Name: inc.Title, Status: string(inc.Status), CreatedAt: inc.CreatedAt.UTC(), UpdatedAt: inc.UpdatedAt.UTC(),
		Impact: string(inc.Impact), Shortlink: strings.TrimSuffix(pageURL, "/") + "/incidents/" + id,
		StartedAt: inc.StartedAt.UTC(), PageID: pageID, IncidentUpdates: []spUpdate{}, Components: []spComponent{}}
	if inc.ResolvedAt != nil {
		t := inc.ResolvedAt.UTC()
		out.ResolvedAt = &t
	}
	for _, c := range inc.Components {
		out.Components = append(out.Components, spComponent{ID: c.Component, Name: named(names, c.Component), Status: string(c.Status)})
	}
	for i := len(inc.Updates) - 1; i >= 0; i-- { // newest first, as Statuspage
		u := inc.Updates[i]
		if u.Status == status.Monitoring && (out.MonitoringAt == nil || u.At.Before(*out.MonitoringAt)) {
			t := u.At.UTC()
			out.MonitoringAt = &t
		}
		out.IncidentUpdates = append(out.IncidentUpdates, spUpdate{ID: strconv.FormatInt(u.ID, 10), Status: string(u.Status), Body: u.Body,
			IncidentID: id, CreatedAt: u.At.UTC(), UpdatedAt: u.At.UTC(), DisplayAt: u.At.UTC()})
	}
	return out
}

// HeaderSignature carries "sha256=" and the hex HMAC-SHA256 of the request
// body under the subscriber's webhook secret.
const HeaderSignature = "X-Safetynet-Signature"

// DocumentationURL is where the payload's meta.documentation points.
const DocumentationURL = "https://github.com/safetynet-dev/safetynet/blob/main/docs/subscribers.md"

// Sign returns the HeaderSignature value for body under secret.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// VerifySignature reports, in constant time, whether header is body's
// signature under secret. Receivers can copy it.
func VerifySignature(secret string, body []byte, header string) bool {
	return hmac.Equal([]byte(Sign(secret, body)), []byte(header))
}

// SubscriberNotifiers makes the notifiers for "subscriber:<id>" outbox
// names. The dispatcher asks it for any name it has no configured notifier
// for.
type SubscriberNotifiers struct {
	Store status.SubscriberStore
	// PageURL is the public base URL the links point at.
	PageURL string
	// Email holds the SMTP settings e-mail subscribers are sent with (its
	// To is ignored); nil leaves e-mail notices failing, and retried, until
	// configured.
	Email *email.Settings
	// PageName prefixes e-mail subjects ("[Example Status] ...") unless
	// Email.SubjectPrefix is set.
	PageName string
	Env      notify.Env

	mu  sync.Mutex
	key []byte
}

// Notifier returns the notifier for name, or nil when name is not a
// subscriber's.
func (r *SubscriberNotifiers) Notifier(name string) notify.Notifier {
	id, ok := SubscriberID(name)
	if !ok {
		return nil
	}
	return subscriberNotifier{r: r, id: id}
}

func (r *SubscriberNotifiers) subscriberKey(ctx context.Context) ([]byte, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.key == nil {
		k, err := r.Store.SubscriberKey(ctx)
		if err != nil {
			return nil, err
		}
		r.key = k
	}
	return r.key, nil
}

// link is the page URL of path with the token as its query.
func (r *SubscriberNotifiers) link(path, token string) string {
	return strings.TrimSuffix(r.PageURL, "/") + path + "?token=" + url.QueryEscape(token)
}

type subscriberNotifier struct {
	r  *SubscriberNotifiers
	id int64
}

// Send delivers m to the subscriber. A subscriber who has left, or who has
// not confirmed yet, gets nothing and the message counts as delivered: there
// is nobody to retry for.
func (n subscriberNotifier) Send(ctx context.Context, m status.Message) error {
	s, err := n.r.Store.Subscriber(ctx, n.id)
	if safetynet.ErrorCode(err) == safetynet.ENOTFOUND {
		return nil
	}
	if err != nil {
		return fmt.Errorf("subscriber %d: %w", n.id, err)
	}
	confirming := m.Event == status.EventSubscribeConfirm
	if confirming == s.Confirmed {
		return nil
	}
	key, err := n.r.subscriberKey(ctx)
	if err != nil {
		return fmt.Errorf("subscriber %d: %w", n.id, err)
	}
	unsub := n.r.link("/unsubscribe", UnsubscribeToken(key, s))
	switch s.Kind {
	case status.SubscriberEmail:
		return n.sendEmail(ctx, s, m, key, unsub)
	case status.SubscriberWebhook:
		return n.sendWebhook(ctx, s, m, key, unsub)
	}
	return fmt.Errorf("subscriber %d: unknown kind %q", n.id, s.Kind)
}

func (n subscriberNotifier) sendEmail(ctx context.Context, s status.Subscriber, m status.Message, key []byte, unsub string) error {
	if n.r.Email == nil {
		return errors.New("no e-mail settings for subscribers are configured")
	}
	settings := *n.r.Email
	settings.To = []string{s.Address}
	if settings.SubjectPrefix == nil {
		prefix := ""
		if n.r.PageName != "" {
			prefix = "[" + n.r.PageName + "] "
		}
		settings.SubjectPrefix = &prefix
	}
	name := NotifierName(s.ID)
	mailer, err := email.New(name, settings, n.r.Env)
	if err != nil {
		return err
	}
	out := status.Message{ID: m.ID, Event: m.Event, Title: m.Title, Text: m.Text, URL: m.URL, At: m.At}
	if m.Event == status.EventSubscribeConfirm {
		out.URL = n.r.link("/subscribe/confirm", ConfirmToken(key, s))
		return mailer.Send(ctx, out)
	}
	out.Text += "\n\nTo stop these messages, unsubscribe: " + unsub
	return mailer.SendWithUnsubscribe(ctx, out, unsub)
}

func (n subscriberNotifier) sendWebhook(ctx context.Context, s status.Subscriber, m status.Message, key []byte, unsub string) error {
	u, err := n.r.Env.CheckPublicURL(NotifierName(s.ID), "url", s.Address)
	if err != nil {
		return err
	}
	body := map[string]json.RawMessage{}
	if p := m.Fields[payloadField]; p != "" {
		if err := json.Unmarshal([]byte(p), &body); err != nil {
			return fmt.Errorf("subscriber %d: stored payload: %w", s.ID, err)
		}
	}
	meta, _ := json.Marshal(spMeta{Unsubscribe: unsub, Documentation: DocumentationURL})
	body["meta"] = meta
	raw, err := marshalOrdered(body)
	if err != nil {
		return err
	}
	h := map[string][]string{
		HeaderSignature:        {Sign(WebhookSecret(key, s), raw)},
		"X-Safetynet-Delivery": {m.ID},
		"X-Safetynet-Event":    {string(m.Event)},
	}
	_, err = notify.PostJSON(ctx, n.r.Env.PublicHTTP(), u, raw, h)
	return err
}

// marshalOrdered writes meta, page, then the rest, as Statuspage does.
func marshalOrdered(body map[string]json.RawMessage) ([]byte, error) {
	var b strings.Builder
	b.WriteByte('{')
	first := true
	write := func(k string) {
		v, ok := body[k]
		if !ok {
			return
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		b.Write(v)
		delete(body, k)
	}
	write("meta")
	write("page")
	for _, k := range []string{"incident", "component_update", "component"} {
		write(k)
	}
	if len(body) > 0 {
		return nil, fmt.Errorf("incident: unexpected payload fields")
	}
	b.WriteByte('}')
	return []byte(b.String()), nil
}
