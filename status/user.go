package status

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"regexp"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// User is a person who may sign in to the admin web UI. Only a bcrypt hash
// of the password is kept.
type User struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	// PasswordHash is the bcrypt hash of the password, never shown.
	PasswordHash string     `json:"-"`
	CreatedAt    time.Time  `json:"created_at"`
	DisabledAt   *time.Time `json:"disabled_at,omitempty"`
}

// Active reports whether the user may sign in.
func (u *User) Active() bool { return u.DisabledAt == nil }

var userNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$`)

// Validate checks a user before it is stored.
func (u *User) Validate() error {
	if !userNameRE.MatchString(u.Name) {
		return invalidf("user name %q: use 1 to 64 letters, digits, dots, dashes, underscores or @, starting with a letter or digit", u.Name)
	}
	if _, err := bcrypt.Cost([]byte(u.PasswordHash)); err != nil {
		return invalidf("user %q: the password hash must be a bcrypt hash", u.Name)
	}
	return nil
}

// The password rules. bcrypt reads at most 72 bytes, so longer passwords
// are refused rather than silently cut.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 72
	// PasswordCost is the bcrypt cost of new hashes.
	PasswordCost = 12
)

// HashPassword checks a password against the rules and returns its bcrypt
// hash.
func HashPassword(password string) (string, error) {
	return hashPassword(password, PasswordCost)
}

// HashPasswordCost is HashPassword with a chosen cost; tests use
// bcrypt.MinCost to stay fast.
func HashPasswordCost(password string, cost int) (string, error) {
	return hashPassword(password, cost)
}

func hashPassword(password string, cost int) (string, error) {
	switch {
	case len(password) < MinPasswordLen:
		return "", invalidf("a password needs at least %d characters", MinPasswordLen)
	case len(password) > MaxPasswordLen:
		return "", invalidf("a password may have at most %d bytes", MaxPasswordLen)
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), cost)
	if err != nil {
		return "", fmt.Errorf("status: hash password: %w", err)
	}
	return string(h), nil
}

// CheckPassword reports whether password matches the bcrypt hash. bcrypt
// compares in constant time.
func CheckPassword(hash, password string) bool {
	err := bcrypt.CompareHashAndPassword([]byte(hash), []byte(password))
	return err == nil
}

// dummyHash is checked against when a user is unknown, so that a login for
// a name that does not exist costs as much time as one that does. It is
// made on first use, so that programs that never check a password do not
// pay for it at start.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("safetynet dummy password"), PasswordCost)
	return h
})

// CheckNoPassword spends the time of a password check and returns false:
// call it for an unknown or disabled user.
func CheckNoPassword(password string) bool {
	_ = bcrypt.CompareHashAndPassword(dummyHash(), []byte(password))
	return false
}

// Session is a signed-in user's session in the admin web UI. The cookie
// carries a random secret; only its SHA-256 digest (HashToken) is stored.
type Session struct {
	ID        int64     `json:"id"`
	UserID    int64     `json:"user_id"`
	Hash      string    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// NewSessionSecret returns a new random session secret (32 random bytes in
// unpadded base64url) and its digest for storing.
func NewSessionSecret() (secret, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("status: new session: %w", err)
	}
	secret = base64.RawURLEncoding.EncodeToString(b)
	return secret, HashToken(secret), nil
}

// UserStore keeps the admin web UI's users and their sessions.
type UserStore interface {
	// CreateUser stores a user; a second user of the same name is an
	// ECONFLICT error.
	CreateUser(ctx context.Context, u User) (User, error)
	// UserByName returns the user of this name, disabled or not, or an
	// ENOTFOUND error.
	UserByName(ctx context.Context, name string) (User, error)
	// ListUsers lists every user, oldest first.
	ListUsers(ctx context.Context) ([]User, error)
	// DisableUser disables the active user of this name and ends all its
	// sessions, or returns an ENOTFOUND error when there is none.
	DisableUser(ctx context.Context, name string, at time.Time) error

	// CreateSession stores a session and returns it with its ID.
	CreateSession(ctx context.Context, s Session) (Session, error)
	// SessionByHash returns the session with this digest and its user when
	// the session has not expired at now and the user is active; otherwise
	// an ENOTFOUND error.
	SessionByHash(ctx context.Context, hash string, now time.Time) (Session, User, error)
	// DeleteSession ends the session with this digest; an unknown digest is
	// not an error. Expired sessions are deleted along the way.
	DeleteSession(ctx context.Context, hash string, now time.Time) error
}
