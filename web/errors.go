package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/safetynet-dev/safetynet"
)

// statusByCode maps each error code of the server's layers to an HTTP
// status: the one place where that mapping lives.
var statusByCode = map[string]int{
	safetynet.EINVALID:      http.StatusBadRequest,
	safetynet.ENOTFOUND:     http.StatusNotFound,
	safetynet.ECONFLICT:     http.StatusConflict,
	safetynet.EUNAUTHORIZED: http.StatusUnauthorized,
	safetynet.EFORBIDDEN:    http.StatusForbidden,
	safetynet.EUNAVAILABLE:  http.StatusServiceUnavailable,
	safetynet.EINTERNAL:     http.StatusInternalServerError,
}

// codeTooLarge is the code of a body over the limit; it has no counterpart
// among the domain codes because only the HTTP layer knows about bodies.
const codeTooLarge = "too_large"

// errorBody is the JSON shape of every error answer.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// writeError answers with err mapped through statusByCode. Errors that are
// not a *safetynet.Error are logged in full and shown as "internal error",
// since their text may hold details (SQL, paths) not meant for callers.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		writeJSON(w, http.StatusRequestEntityTooLarge, errorBody{errorDetail{codeTooLarge, "request body is larger than " + byteSize(mbe.Limit)}})
		return
	}
	code := safetynet.ErrorCode(err)
	st, ok := statusByCode[code]
	if !ok {
		st = http.StatusInternalServerError
	}
	if st >= 500 {
		// The server's own trouble: the operator needs the whole error.
		s.log.ErrorContext(r.Context(), "request failed", "route", r.Pattern, "method", r.Method, "err", err)
	}
	if st == http.StatusInternalServerError {
		code = safetynet.EINTERNAL
	}
	writeJSON(w, st, errorBody{errorDetail{code, safetynet.ErrorMessage(err)}})
}

// writeJSON writes v as the JSON answer with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	// The client may have gone; there is no one left to tell.
	_ = enc.Encode(v)
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}
