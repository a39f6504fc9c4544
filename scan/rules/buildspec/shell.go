package buildspec

import (
	"regexp"
	"strings"

	bs "github.com/safetynet-dev/safetynet/buildspec"
)

// testRunners matches a statement that runs a test suite. Arguments
// between a build tool and its test goal are plain words, so that
// "make build" followed by anything is not a test run, and a goal may
// carry a suffix (npm run test:unit, make test-integration).
var testRunners = regexp.MustCompile(`(?:^|[\s(/])(` + strings.Join([]string{
	`go\s+test`,
	`gotestsum`,
	`(?:npm|pnpm|bun)\s+(?:run\s+|run-script\s+)?test(?:[-_:.][\w:.-]*)?`,
	`npm\s+t`,
	`yarn\s+(?:run\s+)?test(?:[-_:.][\w:.-]*)?`,
	`(?:npx\s+)?(?:jest|vitest|mocha|phpunit|rspec|pytest|tox|nox|ctest)`,
	`python[0-9.]*\s+-m\s+(?:pytest|unittest)`,
	`mvnw?\s+(?:[^\s]+\s+)*?(?:test|verify|integration-test)`,
	`gradlew?\s+(?:[^\s]+\s+)*?(?:test|check)(?:[-_:][\w:-]*)?`,
	`make\s+(?:[^\s]+\s+)*?(?:test|check)(?:[-_][\w-]*)?`,
	`dotnet\s+test`,
	`cargo\s+(?:test|nextest)`,
	`rake\s+(?:test|spec)`,
	`(?:swift|mix|sbt)\s+test`,
}, "|") + `)(?:$|[\s):])`)

// installs matches statements that install a test tool rather than run
// it: "pip install pytest", "npm install -g jest", "gem install rspec".
var installs = regexp.MustCompile(`^\s*(?:sudo\s+)?(?:\S*/)?(?:pip[0-9.]*|pipx|npm|pnpm|yarn|bun|gem|go|apt-get|apt|yum|dnf|apk|brew|composer|poetry|uv|cargo|dotnet|choco)\s+(?:-\S+\s+)*(?:install|i|add|require|tool\s+install|get)\b`)

// statement is one command of a shell line and the operator after it.
type statement struct {
	text string
	sep  string // "|", "||", "&&", ";", "&" or "" at the end
}

// blankQuotes replaces what quotes enclose with spaces, keeping offsets, so
// that "echo 'go test skipped'" runs no test and a quoted | separates
// nothing.
func blankQuotes(line string) string {
	b := []byte(line)
	var quote byte
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0:
			if c == '\\' && quote == '"' && i+1 < len(b) {
				b[i] = ' '
				i++
			}
			b[i] = ' '
		case c == '\'' || c == '"':
			quote = c
		}
	}
	return string(b)
}

// statements splits a shell line (quotes blanked) at its control
// operators. Subshells and redirections such as 2>&1 are left inside
// their statement.
func statements(line string) []statement {
	var out []statement
	start := 0
	for i := 0; i < len(line); i++ {
		var sep string
		switch c := line[i]; {
		case c == ';':
			sep = ";"
		case c == '|' && i+1 < len(line) && line[i+1] == '|':
			sep = "||"
		case c == '|':
			sep = "|"
		case c == '&' && i+1 < len(line) && line[i+1] == '&':
			sep = "&&"
		case c == '&' && (i == 0 || line[i-1] != '>') && (i+1 >= len(line) || line[i+1] != '>'):
			sep = "&"
		default:
			continue
		}
		out = append(out, statement{text: line[start:i], sep: sep})
		i += len(sep) - 1
		start = i + 1
	}
	return append(out, statement{text: line[start:]})
}

// testStatement returns the index of the first statement of a line that
// runs tests and the test command ("go test"), or -1.
func testStatement(stmts []statement) (int, string) {
	for i, st := range stmts {
		if installs.MatchString(st.text) {
			continue
		}
		if m := testRunners.FindStringSubmatch(st.text); m != nil {
			return i, strings.Join(strings.Fields(m[1]), " ")
		}
	}
	return -1, ""
}

// testRun returns the test command a shell line runs ("go test"), or "".
func testRun(line string) string {
	_, t := testStatement(statements(blankQuotes(line)))
	return t
}

// alwaysSucceeds matches the end of a command line that turns any failure
// before it into success: "|| true", "|| :", "|| exit 0", "|| echo ...",
// "; true", "; exit 0".
var alwaysSucceeds = regexp.MustCompile(`(\|\|\s*(?:true|:|exit\s+0|echo\b[^;&|]*)|;\s*(?:true|:|exit\s+0))\s*;?\s*$`)

// stripComment drops a shell comment from a line, minding quotes.
func stripComment(line string) string {
	var quote byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else if c == '\\' && quote == '"' {
				i++
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '\\':
			i++
		case c == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t'):
			return strings.TrimSpace(line[:i])
		}
	}
	return strings.TrimSpace(line)
}

// errexit tells what a line does to the shell's exit-on-error and pipefail
// options: +1 turns on, -1 turns off, 0 leaves alone.
func errexit(line string) (e, pipefail int) {
	for _, stmt := range strings.FieldsFunc(line, func(r rune) bool { return r == ';' || r == '&' || r == '|' }) {
		f := strings.Fields(stmt)
		if len(f) < 2 || f[0] != "set" {
			continue
		}
		for i := 1; i < len(f); i++ {
			a := f[i]
			if len(a) < 2 || (a[0] != '-' && a[0] != '+') || a[1] == '-' {
				continue
			}
			v := 1
			if a[0] == '+' {
				v = -1
			}
			for _, flag := range a[1:] {
				switch flag {
				case 'e':
					e = v
				case 'o':
					if i+1 < len(f) {
						i++
						switch f[i] {
						case "errexit":
							e = v
						case "pipefail":
							pipefail = v
						}
					}
				}
			}
		}
	}
	return e, pipefail
}

// shellLine is one line of a phase's commands with where it is.
type shellLine struct {
	text string // without its comment
	at   bs.Line
	cmd  *bs.Value
}

// phaseLines returns the lines of a phase's commands and finally blocks,
// in the order they run.
func phaseLines(ph *bs.Phase) []shellLine {
	var out []shellLine
	for _, list := range [][]*bs.Value{ph.Commands, ph.Finally} {
		for _, c := range list {
			for _, l := range c.Lines() {
				if t := stripComment(l.Text); t != "" {
					out = append(out, shellLine{text: t, at: l, cmd: c})
				}
			}
		}
	}
	return out
}

// firstTest returns the first test command of a buildspec and its line.
func firstTest(s *bs.Spec) (string, *shellLine) {
	for _, ph := range s.Phases {
		for _, l := range phaseLines(ph) {
			if t := testRun(l.text); t != "" {
				return t, &l
			}
		}
	}
	return "", nil
}
