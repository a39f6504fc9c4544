package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"sort"
	"sync"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
)

// Notifier delivers one message to one destination. Send must be safe to
// call again with the same message after a failure: the dispatcher retries,
// and m.ID stays the same so the receiver can drop duplicates.
type Notifier interface {
	Send(ctx context.Context, m status.Message) error
}

// Env is what a notifier may take from the outside world when it is built.
// Secrets come only through Getenv and ReadFile, never from the settings
// themselves, so a config file can be shared without leaking them.
type Env struct {
	// Getenv reads an environment variable; nil means os.Getenv.
	Getenv func(string) string
	// ReadFile reads a secret or CA file; nil means os.ReadFile.
	ReadFile func(string) ([]byte, error)
	// HTTPClient sends webhook requests; nil means a client whose dialer
	// refuses forbidden addresses (see AllowPrivate) and which never follows
	// redirects.
	HTTPClient *http.Client
	// AllowPrivate lets notifiers reach loopback, link-local and cloud
	// metadata addresses. Tests need it for loopback servers; production
	// configs should leave it off, since a webhook URL pointing at
	// 169.254.169.254 is how a config author would steal cloud credentials.
	AllowPrivate bool
}

func (e Env) getenv(k string) string {
	if e.Getenv == nil {
		return os.Getenv(k)
	}
	return e.Getenv(k)
}

func (e Env) readFile(path string) ([]byte, error) {
	if e.ReadFile == nil {
		return os.ReadFile(path)
	}
	return e.ReadFile(path)
}

// Factory builds a notifier of one kind from its name (for error messages)
// and its JSON settings. It validates the settings and reads secrets; it
// does not contact the destination.
type Factory func(name string, settings json.RawMessage, env Env) (Notifier, error)

var (
	registryMu sync.RWMutex
	registry   = map[string]Factory{}
)

// Register makes a notifier kind available to New. Channel packages call it
// from init, as database/sql drivers do; it panics on a duplicate kind
// because that is a programming error found at start-up.
func Register(kind string, f Factory) {
	registryMu.Lock()
	defer registryMu.Unlock()
	if _, dup := registry[kind]; dup {
		panic("notify: kind " + kind + " registered twice")
	}
	registry[kind] = f
}

// Kinds lists the registered notifier kinds, sorted.
func Kinds() []string {
	registryMu.RLock()
	defer registryMu.RUnlock()
	ks := make([]string, 0, len(registry))
	for k := range registry {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// New builds the notifier a spec describes. Errors are *safetynet.Error with
// code EINVALID, name the notifier and the field, and never contain a
// secret.
func New(spec status.NotifierSpec, env Env) (Notifier, error) {
	if spec.Name == "" {
		return nil, safetynet.Errorf(safetynet.EINVALID, "notifier of kind %q needs a name", spec.Kind)
	}
	registryMu.RLock()
	f, ok := registry[spec.Kind]
	registryMu.RUnlock()
	if !ok {
		return nil, safetynet.Errorf(safetynet.EINVALID, "notifier %q: unknown kind %q (known: %v)", spec.Name, spec.Kind, Kinds())
	}
	n, err := f(spec.Name, spec.Settings, env)
	if err != nil {
		return nil, err
	}
	return n, nil
}

// Invalid returns the error a Factory reports for a bad setting: it names
// the notifier and the field. Never pass a secret value in args.
func Invalid(name, field, format string, args ...any) error {
	return safetynet.Errorf(safetynet.EINVALID, "notifier %q: %s: %s", name, field, fmt.Sprintf(format, args...))
}
