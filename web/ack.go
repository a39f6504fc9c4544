package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/incident"
	"github.com/safetynet-dev/safetynet/status"
)

// Acknowledgement pages, the target of the links in alerts and incident
// notices (incident.Acks.AckLink). They work without JavaScript:
//
//	GET  /ack/{token}    what the link acknowledges, and a form asking for a name
//	POST /ack/{token}    name=…: acknowledge, then say so
//
// GET changes nothing, so mail scanners and link previews that fetch the
// link acknowledge nothing. The signed token is the credential: another
// site cannot post the form without knowing it, as it never leaves the
// link (Referrer-Policy: no-referrer, and the request log shows the route
// pattern only). A forged or mangled token gets a "not valid" page (404),
// an expired one a page saying so (410); the first acknowledgement is the
// one kept, and a later one says who was first.

// maxAckName bounds the name a person types, in runes.
const maxAckName = 80

// ackBackend is what the pages need from the store.
type ackBackend interface {
	incident.KeySource
	status.AlertStore
	status.IncidentStore
}

// alertByID is the lookup of one alert (store.DB.Alert), used when the
// store has it.
type alertByID interface {
	Alert(ctx context.Context, id int64) (status.Alert, error)
}

func init() {
	extraRoutes = append(extraRoutes, func(s *Server, mux *http.ServeMux) {
		h := &ackPages{s: s}
		mux.HandleFunc("GET /ack/{token}", h.show)
		mux.HandleFunc("POST /ack/{token}", h.ack)
	})
}

type ackPages struct {
	s *Server

	mu  sync.Mutex
	key []byte
}

// ackPage is what public_ack.html renders. State picks the view: confirm,
// done, expired, invalid.
type ackPage struct {
	Page  PageInfo
	State string
	Token string
	Kind  incident.AckKind
	ID    int64
	// Title describes what is acknowledged: the incident's title or the
	// alert's summary, when known.
	Title string
	// Resolved is set for an alert that has ended (it can still be
	// acknowledged, for the record).
	Resolved bool
	AckedBy  string
	AckedAt  *time.Time
	Name     string
	Error    string
}

// acks returns the link checker, deriving the key on first use.
func (h *ackPages) acks(ctx context.Context, b ackBackend) (incident.Acks, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.key == nil {
		k, err := incident.AckKey(ctx, b)
		if err != nil {
			return incident.Acks{}, err
		}
		h.key = k
	}
	return incident.Acks{Key: h.key}, nil
}

// load checks the token and fills in what it names. A nil page means the
// answer has been written.
func (h *ackPages) load(w http.ResponseWriter, r *http.Request) (*ackPage, ackBackend) {
	b, ok := h.s.store.(ackBackend)
	if !ok {
		unavailable(w, "acknowledgements")
		return nil, nil
	}
	ctx := r.Context()
	p := &ackPage{Page: PageInfo{Name: "Status"}, State: "confirm", Token: r.PathValue("token")}
	if h.s.public != nil {
		if st, err := h.s.public.Public(ctx); err == nil {
			p.Page = st.Page
		}
	}
	a, err := h.acks(ctx, b)
	if err != nil {
		h.s.writeError(w, r, err)
		return nil, nil
	}
	p.Kind, p.ID, err = a.VerifyAck(p.Token, h.s.now())
	switch {
	case errors.Is(err, incident.ErrAckExpired):
		p.State = "expired"
		h.render(w, r, http.StatusGone, p)
		return nil, nil
	case err != nil:
		h.invalid(w, r, p)
		return nil, nil
	}
	switch p.Kind {
	case incident.AckIncident:
		inc, err := b.Incident(ctx, p.ID)
		if safetynet.ErrorCode(err) == safetynet.ENOTFOUND {
			h.invalid(w, r, p)
			return nil, nil
		}
		if err != nil {
			h.s.writeError(w, r, err)
			return nil, nil
		}
		p.Title, p.AckedBy, p.AckedAt, p.Resolved = inc.Title, inc.AckedBy, inc.AckedAt, inc.ResolvedAt != nil
	case incident.AckAlert:
		if one, ok := b.(alertByID); ok {
			al, err := one.Alert(ctx, p.ID)
			if safetynet.ErrorCode(err) == safetynet.ENOTFOUND {
				h.invalid(w, r, p)
				return nil, nil
			}
			if err != nil {
				h.s.writeError(w, r, err)
				return nil, nil
			}
			p.Title, p.AckedBy, p.AckedAt, p.Resolved = al.Summary, al.AckedBy, al.AckedAt, !al.Open()
			break
		}
		// Without a lookup by ID the alert is found among those active
		// since before any live link to it was made. One not found (under
		// a flood of alerts) can still be acknowledged, untitled.
		recent, err := b.Alerts(ctx, status.AlertFilter{Since: h.s.now().Add(-incident.DefaultAckTTL - 24*time.Hour), Limit: 1000})
		if err != nil {
			h.s.writeError(w, r, err)
			return nil, nil
		}
		for _, al := range recent {
			if al.ID == p.ID {
				p.Title, p.AckedBy, p.AckedAt, p.Resolved = al.Summary, al.AckedBy, al.AckedAt, !al.Open()
			}
		}
	}
	return p, b
}

func (h *ackPages) invalid(w http.ResponseWriter, r *http.Request, p *ackPage) {
	p.State, p.Token, p.Kind, p.ID = "invalid", "", "", 0
	h.render(w, r, http.StatusNotFound, p)
}

// show answers GET: the confirmation form, changing nothing.
func (h *ackPages) show(w http.ResponseWriter, r *http.Request) {
	p, _ := h.load(w, r)
	if p == nil {
		return
	}
	if p.AckedAt != nil {
		p.State = "done"
	}
	h.render(w, r, http.StatusOK, p)
}

// ack answers POST: it records the acknowledgement under the name given.
func (h *ackPages) ack(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		h.s.writeError(w, r, safetynet.Errorf(safetynet.EINVALID, "the form could not be read"))
		return
	}
	p, b := h.load(w, r)
	if p == nil {
		return
	}
	if p.AckedAt != nil {
		// Someone was first: say who, and record nothing.
		p.State = "done"
		h.render(w, r, http.StatusOK, p)
		return
	}
	name, msg := ackName(r.PostFormValue("name"))
	if msg != "" {
		p.Name, p.Error = r.PostFormValue("name"), msg
		if utf8.RuneCountInString(p.Name) > maxAckName {
			p.Name = ""
		}
		h.render(w, r, http.StatusBadRequest, p)
		return
	}
	now := h.s.now().UTC().Truncate(time.Microsecond)
	var err error
	if p.Kind == incident.AckIncident {
		err = b.AckIncident(r.Context(), p.ID, name, now)
	} else {
		err = b.AckAlert(r.Context(), p.ID, name, now)
	}
	if safetynet.ErrorCode(err) == safetynet.ENOTFOUND {
		h.invalid(w, r, p)
		return
	}
	if err != nil {
		h.s.writeError(w, r, fmt.Errorf("web: acknowledge %s %d: %w", p.Kind, p.ID, err))
		return
	}
	h.s.log.InfoContext(r.Context(), "acknowledged by link", "kind", p.Kind, "id", p.ID, "by", name)
	p.State, p.AckedBy, p.AckedAt = "done", name, &now
	h.render(w, r, http.StatusOK, p)
}

// ackName cleans the name typed into the form, or says what is wrong with
// it.
func ackName(s string) (string, string) {
	s = strings.Join(strings.Fields(s), " ")
	switch {
	case s == "":
		return "", "Please give your name, so the team knows who is on it."
	case !utf8.ValidString(s) || strings.IndexFunc(s, unicode.IsControl) >= 0:
		return "", "The name has characters that cannot be shown."
	case utf8.RuneCountInString(s) > maxAckName:
		return "", fmt.Sprintf("Please keep the name under %d characters.", maxAckName)
	}
	return s, ""
}

func (h *ackPages) render(w http.ResponseWriter, r *http.Request, code int, p *ackPage) {
	var buf bytes.Buffer
	if err := publicTmpl.ExecuteTemplate(&buf, "public_ack.html", p); err != nil {
		h.s.writeError(w, r, fmt.Errorf("web: render ack page: %w", err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("X-Robots-Tag", "noindex")
	w.WriteHeader(code)
	_, _ = w.Write(buf.Bytes())
}
