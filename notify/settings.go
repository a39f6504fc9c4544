package notify

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
)

// DecodeSettings unmarshals a notifier's JSON settings into v, refusing
// unknown fields so that a misspelt "pasword_file" is reported at start
// instead of silently sending mail without authentication.
func DecodeSettings(name string, raw json.RawMessage, v any) error {
	if len(bytes.TrimSpace(raw)) == 0 || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		raw = json.RawMessage("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return Invalid(name, "settings", "%s", describeJSONError(err))
	}
	if dec.More() {
		return Invalid(name, "settings", "trailing data after the settings object")
	}
	return nil
}

// describeJSONError turns a decoding error into a sentence that names the
// field but never echoes a value, since the value may be a secret pasted in
// the wrong place.
func describeJSONError(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field != "" {
			return fmt.Sprintf("field %q must be %s, not %s", te.Field, te.Type.String(), te.Value)
		}
		return fmt.Sprintf("must be a JSON object, not %s", te.Value)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("malformed JSON at byte %d", se.Offset)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "truncated JSON"
	}
	msg := err.Error()
	// encoding/json reports unknown fields as `json: unknown field "x"`,
	// which names a field and no value: keep it.
	if rest, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		return "unknown field " + rest
	}
	return "invalid settings"
}

// Secret reads a secret named by exactly one of an environment variable
// (fieldBase+"_env") or a file (fieldBase+"_file"). The value is trimmed of
// surrounding white space, since files written by editors and secret
// managers end with a newline. Errors name the field and the variable or
// file, never the value.
func (e Env) Secret(name, fieldBase, envVar, file string) (string, error) {
	envField, fileField := fieldBase+"_env", fieldBase+"_file"
	switch {
	case envVar != "" && file != "":
		return "", Invalid(name, envField, "set only one of %s and %s", envField, fileField)
	case envVar != "":
		v := strings.TrimSpace(e.getenv(envVar))
		if v == "" {
			return "", Invalid(name, envField, "environment variable %s is unset or empty", envVar)
		}
		return v, nil
	case file != "":
		b, err := e.readFile(file)
		if err != nil {
			return "", Invalid(name, fileField, "cannot read %s: %v", file, pathErr(err))
		}
		v := strings.TrimSpace(string(b))
		if v == "" {
			return "", Invalid(name, fileField, "file %s is empty", file)
		}
		return v, nil
	}
	return "", Invalid(name, envField, "set %s or %s", envField, fileField)
}

// OptionalSecret is Secret for a secret that may be left out: it returns ""
// when neither source is set.
func (e Env) OptionalSecret(name, fieldBase, envVar, file string) (string, error) {
	if envVar == "" && file == "" {
		return "", nil
	}
	return e.Secret(name, fieldBase, envVar, file)
}

// ReadConfigFile reads a non-secret file named in settings (a CA bundle),
// through Env.ReadFile so tests and sandboxes control it.
func (e Env) ReadConfigFile(name, field, path string) ([]byte, error) {
	b, err := e.readFile(path)
	if err != nil {
		return nil, Invalid(name, field, "cannot read %s: %v", path, pathErr(err))
	}
	return b, nil
}

// pathErr drops the path from an *fs.PathError (the caller names the file
// already) and keeps any other error whole.
func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
