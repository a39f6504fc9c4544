package config

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"sync"
	"time"
)

// Watcher reloads a configuration file when asked (Trigger, on SIGHUP) and
// when the file changes (polled). A reload that fails keeps the running
// configuration and reports why; a reload that means the same thing
// (comments, layout) reports nothing.
type Watcher struct {
	path     string
	env      Env
	onChange func(*Config)
	onError  func(error)
	trigger  chan struct{}

	mu      sync.Mutex // serialises reloads
	stat    fileStat
	content [sha256.Size]byte
	sum     string // Config.Sum of the configuration in force
}

// fileStat is what a poll compares before reading the file again.
type fileStat struct {
	size    int64
	modTime time.Time
}

// Watch starts watching path until ctx is done, polling every interval (no
// polling when interval <= 0). It loads the file once to know what is in
// force, so call it right after the Load whose result the server runs; if
// that first load fails, the next good one counts as a change. onChange
// and onError are called from the watching goroutine, one at a time.
func Watch(ctx context.Context, path string, env Env, interval time.Duration, onChange func(*Config), onError func(error)) *Watcher {
	w := NewWatcher(path, env, onChange, onError)
	go w.run(ctx, interval)
	return w
}

// NewWatcher returns a watcher that has loaded path once and does nothing
// until Reload or Poll is called; Watch adds the goroutine.
func NewWatcher(path string, env Env, onChange func(*Config), onError func(error)) *Watcher {
	w := &Watcher{path: path, env: env, onChange: onChange, onError: onError, trigger: make(chan struct{}, 1)}
	if onChange == nil {
		w.onChange = func(*Config) {}
	}
	if onError == nil {
		w.onError = func(error) {}
	}
	w.stat, _ = statFile(path)
	if data, err := env.readFile(path); err == nil {
		w.content = sha256.Sum256(data)
	}
	if c, err := Load(path, env); err == nil {
		w.sum = c.Sum
	}
	return w
}

// Trigger asks the watching goroutine to reload, as SIGHUP does. It never
// blocks; triggers that arrive while one is pending are merged.
func (w *Watcher) Trigger() {
	select {
	case w.trigger <- struct{}{}:
	default:
	}
}

func (w *Watcher) run(ctx context.Context, interval time.Duration) {
	var tick <-chan time.Time
	if interval > 0 {
		t := time.NewTicker(interval)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-w.trigger:
			w.Reload()
		case <-tick:
			w.Poll()
		}
	}
}

// Reload loads the file now, whatever its state: a SIGHUP also picks up
// changed token files, which polling does not watch. It reports whether
// onChange was called.
func (w *Watcher) Reload() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	st, _ := statFile(w.path)
	return w.load(st)
}

// Poll reloads the file if its size, modification time or content
// changed since the last look, and reports whether onChange was called.
func (w *Watcher) Poll() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	st, err := statFile(w.path)
	if err == nil && st == w.stat {
		return false
	}
	if err == nil {
		// Same bytes under a new mtime (touch, an editor saving without
		// changes): nothing to do.
		if data, rerr := w.env.readFile(w.path); rerr == nil && sha256.Sum256(data) == w.content {
			w.stat = st
			return false
		}
	}
	return w.load(st)
}

func (w *Watcher) load(st fileStat) bool {
	// Parse the bytes that were hashed, so the hash always describes the
	// configuration in force.
	data, readErr := w.env.readFile(w.path)
	var c *Config
	err := readErr
	if readErr != nil {
		err = Errors{{File: w.path, Msg: fmt.Sprintf("cannot read: %v", unwrapPath(readErr))}}
	} else {
		c, err = Parse(w.path, data, w.env)
	}
	// Remember what was looked at even when it was bad, so a broken file
	// is reported once per edit, not on every poll.
	w.stat = st
	if readErr == nil {
		w.content = sha256.Sum256(data)
	}
	if err != nil {
		w.onError(err)
		return false
	}
	if c.Sum == w.sum {
		return false
	}
	w.sum = c.Sum
	w.onChange(c)
	return true
}

func statFile(path string) (fileStat, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return fileStat{}, err
	}
	return fileStat{size: fi.Size(), modTime: fi.ModTime()}, nil
}
