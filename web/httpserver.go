package web

import (
	"log/slog"
	"net/http"
	"time"
)

// NewHTTPServer returns an http.Server for handler with timeouts set, so a
// slow or idle client cannot hold connections open for ever (slowloris),
// and with the server's own errors going to slog.
func NewHTTPServer(addr string, handler http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		// Long enough for the slowest route (a dashboard over a large
		// store); a hung handler still ends.
		WriteTimeout:   60 * time.Second,
		IdleTimeout:    120 * time.Second,
		MaxHeaderBytes: 64 << 10,
		ErrorLog:       slog.NewLogLogger(slog.Default().Handler(), slog.LevelWarn),
	}
}
