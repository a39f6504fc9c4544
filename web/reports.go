package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
)

// Reporter records customer reports (POST /api/v1/reports): support telling
// the server that a customer has a problem, which counts toward the
// more-than-one-customer rule of automatic incidents.
type Reporter interface {
	AddReport(ctx context.Context, r status.CustomerReport) (status.CustomerReport, error)
}

func (s *Server) handleReport(w http.ResponseWriter, r *http.Request) {
	if s.reporter == nil {
		unavailable(w, "customer reports")
		return
	}
	var in struct {
		Customer  string `json:"customer"`
		Component string `json:"component"`
		Text      string `json:"text"`
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		if _, ok := err.(*http.MaxBytesError); ok {
			s.writeError(w, r, err)
			return
		}
		s.writeError(w, r, safetynet.Errorf(safetynet.EINVALID, `bad report: %v (send {"customer": ..., "component": ..., "text": ...})`, err))
		return
	}
	rep, err := s.reporter.AddReport(r.Context(), status.CustomerReport{Customer: in.Customer, Component: in.Component, Text: in.Text, At: s.now()})
	if err != nil {
		s.writeError(w, r, fmt.Errorf("web: add report: %w", err))
		return
	}
	writeJSON(w, http.StatusCreated, rep)
}
