package web

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/safetynet-dev/safetynet"
)

func TestWriteErrorStatuses(t *testing.T) {
	var logs bytes.Buffer
	s := &Server{log: slog.New(slog.NewTextHandler(&logs, nil))}
	full := &safetynet.Error{Code: safetynet.EUNAVAILABLE, Message: "the database or its disk is full"}
	tests := []struct {
		err      error
		status   int
		body     string
		logged   bool
		hideBody string
	}{
		{safetynet.Errorf(safetynet.ENOTFOUND, "no incident 7"), 404, `"no incident 7"`, false, ""},
		{fmt.Errorf("store: add update: %w: %w", full, errors.New("sqlite: database or disk is full (13)")), 503, `"the database or its disk is full"`, true, "sqlite"},
		{errors.New("pq: password authentication failed for user admin"), 500, `"internal error"`, true, "password"},
	}
	for _, tt := range tests {
		logs.Reset()
		rec := httptest.NewRecorder()
		s.writeError(rec, httptest.NewRequest(http.MethodPost, "/api/v1/incidents", nil), tt.err)
		if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.body) {
			t.Errorf("%v: %d %s, want %d with %s", tt.err, rec.Code, rec.Body, tt.status, tt.body)
		}
		if tt.hideBody != "" && strings.Contains(rec.Body.String(), tt.hideBody) {
			t.Errorf("%v: the answer shows internals: %s", tt.err, rec.Body)
		}
		if got := logs.Len() > 0; got != tt.logged {
			t.Errorf("%v: logged = %v, want %v", tt.err, got, tt.logged)
		}
	}
}
