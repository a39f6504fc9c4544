// Package notifytest holds what the tests of notify's channels share: an
// Env over fixed variables and files, and a message with every field set.
package notifytest

import (
	"io/fs"
	"time"

	"github.com/safetynet-dev/safetynet/notify"
	"github.com/safetynet-dev/safetynet/status"
)

// Env returns an Env that reads vars and files instead of the process's
// environment and disk, and allows loopback so tests can use httptest.
func Env(vars, files map[string]string) notify.Env {
	return notify.Env{
		Getenv: func(k string) string { return vars[k] },
		ReadFile: func(p string) ([]byte, error) {
			s, ok := files[p]
			if !ok {
				return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrNotExist}
			}
			return []byte(s), nil
		},
		AllowPrivate: true,
	}
}

// Message returns a "down" message with every field set, as the alerting
// engine would build it.
func Message() status.Message {
	return status.Message{
		ID:        "n-7f3a9c",
		Event:     status.EventDown,
		Title:     "checkout is down",
		Text:      "GET https://shop.example.com/health failed 3 times: status 503 <want 200>",
		Component: "checkout",
		Team:      "payments",
		Status:    status.MajorOutage,
		URL:       "https://status.example.com/components/checkout",
		At:        time.Date(2026, 3, 1, 21, 4, 5, 0, time.UTC),
		Fields:    map[string]string{"check": "checkout-health", "location": "local", "subject": "checkout-health"},
	}
}
