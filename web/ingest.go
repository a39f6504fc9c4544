package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
)

// MaxSamplesPerRequest bounds one push; larger batches are split by the
// caller.
const MaxSamplesPerRequest = 10000

// maxFutureSkew is how far ahead of the server's clock a sample's time may
// be. Anything later is a wrong clock or a unit mistake (milliseconds sent
// as seconds), and would sit ahead of every baseline.
const maxFutureSkew = 5 * time.Minute

// sampleJSON is a sample as pushed: the value is a pointer so a missing
// value is an error rather than a silent zero, and the time is optional.
type sampleJSON struct {
	Name  string            `json:"name"`
	Value *float64          `json:"value"`
	Time  *flexTime         `json:"time"`
	Tags  map[string]string `json:"tags"`
}

// ingestBody is either {"samples": [...]} or one sample object.
type ingestBody struct {
	Samples *[]sampleJSON `json:"samples"`
	sampleJSON
}

// flexTime accepts an RFC 3339 string or Unix seconds (`date +%s` in a
// shell script), with a fraction if wanted.
type flexTime struct{ time.Time }

func (t *flexTime) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return fmt.Errorf("time %q is not RFC 3339 (2006-01-02T15:04:05Z) nor Unix seconds", s)
		}
		t.Time = v
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return fmt.Errorf("time %s is not RFC 3339 nor Unix seconds", b)
	}
	sec, frac := math.Modf(f)
	t.Time = time.Unix(int64(sec), int64(frac*1e9)).UTC()
	return nil
}

// IngestResult is the answer to a successful push.
type IngestResult struct {
	Accepted int `json:"accepted"`
}

func (s *Server) handleIngest(w http.ResponseWriter, r *http.Request) {
	if s.ingester == nil {
		unavailable(w, "metric ingest")
		return
	}
	samples, err := s.decodeSamples(r.Body)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.ingester.Ingest(r.Context(), samples); err != nil {
		s.writeError(w, r, fmt.Errorf("web: ingest %d samples: %w", len(samples), err))
		return
	}
	s.m.samples.WithLabelValues(tokenName(r)).Add(float64(len(samples)))
	// 202: the ingester may batch writes, so the samples are taken, not
	// necessarily stored yet.
	writeJSON(w, http.StatusAccepted, IngestResult{Accepted: len(samples)})
}

// decodeSamples reads and validates a push, naming the index of the first
// bad sample so the caller can find it in a batch.
func (s *Server) decodeSamples(body io.Reader) ([]status.Sample, error) {
	raw, err := io.ReadAll(body)
	if err != nil {
		return nil, err // a *http.MaxBytesError maps to 413
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil, safetynet.Errorf(safetynet.EINVALID, `empty body: send {"samples": [{"name": ..., "value": ...}]} or one sample object`)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	// Unknown fields are errors: a typo ("valu") must not store zeros.
	dec.DisallowUnknownFields()
	var in ingestBody
	if err := dec.Decode(&in); err != nil {
		return nil, safetynet.Errorf(safetynet.EINVALID, "bad JSON: %s", jsonErrorText(err))
	}
	if dec.More() {
		return nil, safetynet.Errorf(safetynet.EINVALID, "bad JSON: more than one value in the body")
	}
	var list []sampleJSON
	single := in.Samples == nil
	switch {
	case single:
		list = []sampleJSON{in.sampleJSON}
	case in.Name != "" || in.Value != nil || in.Time != nil || in.Tags != nil:
		return nil, safetynet.Errorf(safetynet.EINVALID, `give either "samples" or one sample's fields, not both`)
	default:
		list = *in.Samples
	}
	if len(list) == 0 {
		return nil, safetynet.Errorf(safetynet.EINVALID, `"samples" is empty`)
	}
	if len(list) > MaxSamplesPerRequest {
		return nil, safetynet.Errorf(safetynet.EINVALID, "%d samples in one request; at most %d", len(list), MaxSamplesPerRequest)
	}
	now := s.now()
	out := make([]status.Sample, len(list))
	for i, sj := range list {
		where := fmt.Sprintf("samples[%d]", i)
		if single {
			where = "sample"
		}
		if sj.Value == nil {
			return nil, safetynet.Errorf(safetynet.EINVALID, "%s: value is missing", where)
		}
		smp := status.Sample{Name: sj.Name, Value: *sj.Value, At: now, Tags: sj.Tags}
		if sj.Time != nil {
			smp.At = sj.Time.UTC()
		}
		if smp.At.After(now.Add(maxFutureSkew)) {
			return nil, safetynet.Errorf(safetynet.EINVALID, "%s: time %s is more than %s ahead of the server's clock", where, smp.At.Format(time.RFC3339), maxFutureSkew)
		}
		if err := smp.Validate(); err != nil {
			return nil, safetynet.Errorf(safetynet.EINVALID, "%s: %s", where, safetynet.ErrorMessage(err))
		}
		out[i] = smp
	}
	return out, nil
}

// jsonErrorText words a decoding error for the caller, with the byte
// offset where the syntax broke.
func jsonErrorText(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("%s (at byte %d)", se.Error(), se.Offset)
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			field = "body"
		}
		return fmt.Sprintf("%s must be %s, not JSON %s", field, jsonKind(te.Type.Kind().String()), te.Value)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the body ends in the middle of a value"
	}
	return err.Error()
}

func jsonKind(k string) string {
	switch k {
	case "float64":
		return "a number"
	case "string":
		return "a string"
	case "map", "struct", "ptr":
		return "an object"
	case "slice":
		return "an array"
	}
	return k
}
