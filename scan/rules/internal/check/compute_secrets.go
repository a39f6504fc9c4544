package check

import (
	"regexp"
	"slices"
	"strings"
)

// computeSecretName matches names of settings that usually hold a secret.
var computeSecretName = regexp.MustCompile(`(?i)(passw|pwd|secret|token|api_?key|apikey|private_?key|access_?key|credential)`)

// computeNotSecret matches names that point at a secret or describe one
// rather than hold it (DB_PASSWORD_ARN, SECRET_NAME, TOKEN_URL,
// ACCESS_KEY_ID).
var computeNotSecret = regexp.MustCompile(`(?i)(arn|name|id|url|uri|endpoint|path|param|parameter|region|file|ttl|expiry|length|type|header|policy|version|enabled|count|seconds|timeout|secretsmanager|ssm)$`)

// ComputeSecretName reports whether an environment variable name looks
// like it holds a secret.
func ComputeSecretName(name string) bool {
	if !computeSecretName.MatchString(name) {
		return false
	}
	return !computeNotSecret.MatchString(strings.TrimRight(name, "_-0123456789"))
}

// ComputeSecretValue reports whether a literal value assigned to a
// secret-looking name is a real secret: not empty, not a dynamic
// reference, not a placeholder left for deploy time.
func ComputeSecretValue(s string) bool {
	s = strings.TrimSpace(s)
	switch {
	case len(s) < 4, strings.HasPrefix(s, "{{resolve:"), strings.Contains(s, "${"),
		strings.HasPrefix(s, "arn:"), strings.HasPrefix(s, "$("), strings.HasPrefix(s, "$"):
		return false
	}
	switch strings.ToLower(s) {
	case "none", "null", "changeme", "true", "false", "todo", "placeholder":
		return false
	}
	// A placeholder that a later step replaces (INSTANCE_ID, <password>,
	// %PASSWORD%) is not the secret itself.
	return !computePlaceholder.MatchString(s)
}

// computePlaceholder matches placeholder values.
var computePlaceholder = regexp.MustCompile(`^([A-Z][A-Z0-9]*(_[A-Z0-9]+)+|<.*|%[^%]*%|__[^_].*__)$`)

var (
	// computeAccessKey matches AWS access key IDs of long-term and
	// temporary credentials.
	computeAccessKey = regexp.MustCompile(`\b(AKIA|ASIA)[0-9A-Z]{16}\b`)
	// computeSecretKey matches a secret access key assigned in a shell or
	// config file.
	computeSecretKey = regexp.MustCompile(`(?i)aws_secret_access_key\s*[=:]\s*["']?([A-Za-z0-9/+]{40})\b`)
	// computeAssign matches NAME=value and NAME: value assignments in
	// scripts and config files, with optional quotes and export.
	computeAssign = regexp.MustCompile(`(?i)(?:^|[\s;'"{,])(?:export\s+)?-?-?([A-Za-z_][A-Za-z0-9_.-]*)\s*[=:]\s*("[^"\n]*"|'[^'\n]*'|[^\s;'"]+)`)
)

// ComputeSecretsInText returns short descriptions of the secrets written
// in a script such as EC2 user data: AWS access keys and secret keys, and
// assignments of literal values to secret-looking names
// (DB_PASSWORD=hunter2). Values built from ${...} placeholders, dynamic
// references and command substitutions are not secrets in the text.
func ComputeSecretsInText(text string) []string {
	var out []string
	if strings.Contains(text, "AKIA") || strings.Contains(text, "ASIA") {
		if m := computeAccessKey.FindString(text); m != "" {
			out = append(out, "an AWS access key ID ("+m[:8]+"...)")
		}
	}
	// The patterns below need a secret-looking name on the line; running
	// them only on such lines keeps long user data scripts cheap.
	for _, line := range strings.Split(text, "\n") {
		if !computeSecretName.MatchString(line) {
			continue
		}
		if computeSecretKey.MatchString(line) {
			out = append(out, "an AWS secret access key")
		}
		for _, m := range computeAssign.FindAllStringSubmatch(line, -1) {
			name, val := m[1], strings.Trim(m[2], `"'`)
			if ComputeSecretName(name) && ComputeSecretValue(val) && !strings.EqualFold(name, "aws_secret_access_key") {
				out = append(out, "a literal value for "+name)
			}
		}
	}
	return slices.Compact(out)
}
