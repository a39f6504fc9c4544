package web

import (
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/safetynet-dev/safetynet"
)

// HeartbeatResult is the answer to a heartbeat.
type HeartbeatResult struct {
	OK bool      `json:"ok"`
	At time.Time `json:"at"`
}

func (s *Server) handleHeartbeat(w http.ResponseWriter, r *http.Request) {
	if s.heartbeats == nil {
		unavailable(w, "heartbeats")
		return
	}
	// A job may post its output; read it (within the body limit) so the
	// connection can be reused, but keep nothing.
	if _, err := io.Copy(io.Discard, r.Body); err != nil {
		s.writeError(w, r, err)
		return
	}
	token := r.PathValue("token")
	if token == "" || len(token) > 200 {
		s.m.heartbeats.WithLabelValues("unknown").Inc()
		s.writeError(w, r, safetynet.Errorf(safetynet.ENOTFOUND, "unknown heartbeat"))
		return
	}
	at := s.now().UTC()
	if err := s.heartbeats.Heartbeat(r.Context(), token, at); err != nil {
		if safetynet.ErrorCode(err) == safetynet.ENOTFOUND {
			s.m.heartbeats.WithLabelValues("unknown").Inc()
			// Never echo the token: the message may end up in logs that
			// the caller's cron daemon mails around.
			s.writeError(w, r, safetynet.Errorf(safetynet.ENOTFOUND, "unknown heartbeat"))
			return
		}
		s.m.heartbeats.WithLabelValues("error").Inc()
		s.writeError(w, r, fmt.Errorf("web: heartbeat: %w", err))
		return
	}
	s.m.heartbeats.WithLabelValues("ok").Inc()
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, HeartbeatResult{OK: true, At: at})
}
