package citest_test

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// action is the part of action.yml the tests read.
type action struct {
	Name   string
	Inputs map[string]struct {
		Description string
		Required    bool
		Default     string
	}
	Outputs map[string]struct {
		Description string
		Value       string
	}
	Runs struct {
		Using string
		Steps []actionStep
	}
}

type actionStep struct {
	ID    string
	Name  string
	If    string
	Shell string
	Run   string
	Uses  string
	Env   map[string]string
	With  map[string]string
}

// MustAction parses the repository's action.yml.
func MustAction(tb testing.TB) *action {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot(tb), "action.yml"))
	if err != nil {
		tb.Fatal(err)
	}
	var a action
	if err := yaml.Unmarshal(data, &a); err != nil {
		tb.Fatalf("action.yml: %v", err)
	}
	return &a
}

// stepResult is what the runner saw of one step.
type stepResult struct {
	ran     bool
	outcome string // success, failure or skipped, as steps.<id>.outcome
	exit    int
	log     string
	outputs map[string]string
	with    map[string]string // resolved inputs of a uses: step
}

// actionRun runs a composite action's steps the way the GitHub runner does,
// as far as these tests need: inputs with their defaults, the expression
// forms action.yml uses, if: conditions (implicit success(), always(),
// && of == and != comparisons), run: steps under bash -eo pipefail with a
// fresh GITHUB_OUTPUT each, and steps.<id>.outputs/outcome. A uses: step is
// not executed: actions/setup-go counts as a success (Go is installed here)
// and any other is recorded with its resolved with: values.
// Expressions the runner does not know fail the test, so action.yml cannot
// grow a form this test silently ignores.
type actionRun struct {
	tb        testing.TB
	a         *action
	inputs    map[string]string
	github    map[string]string
	env       []string // the job's environment
	workspace string
	steps     map[string]*stepResult
	order     []*stepResult
	failed    bool
}

var exprRE = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

func (r *actionRun) value(expr string) string {
	r.tb.Helper()
	expr = strings.TrimSpace(expr)
	switch {
	case strings.HasPrefix(expr, "inputs."):
		name := strings.TrimPrefix(expr, "inputs.")
		in, ok := r.a.Inputs[name]
		if !ok {
			r.tb.Fatalf("action.yml uses undeclared input %q", name)
		}
		if v, ok := r.inputs[name]; ok {
			return v
		}
		return in.Default
	case strings.HasPrefix(expr, "github."):
		v, ok := r.github[strings.TrimPrefix(expr, "github.")]
		if !ok {
			r.tb.Fatalf("test runner has no %s", expr)
		}
		return v
	case strings.HasPrefix(expr, "steps."):
		parts := strings.SplitN(strings.TrimPrefix(expr, "steps."), ".", 3)
		s := r.steps[parts[0]]
		switch {
		case len(parts) == 2 && parts[1] == "outcome":
			if s == nil {
				return ""
			}
			return s.outcome
		case len(parts) == 3 && parts[1] == "outputs":
			if s == nil {
				return ""
			}
			return s.outputs[parts[2]]
		}
	case strings.HasPrefix(expr, "'") && strings.HasSuffix(expr, "'") && len(expr) >= 2:
		return strings.ReplaceAll(expr[1:len(expr)-1], "''", "'")
	}
	r.tb.Fatalf("test runner cannot evaluate expression %q", expr)
	return ""
}

// interpolate replaces each ${{ }} in s.
func (r *actionRun) interpolate(s string) string {
	return exprRE.ReplaceAllStringFunc(s, func(m string) string {
		return r.value(exprRE.FindStringSubmatch(m)[1])
	})
}

// condition evaluates an if: the way the runner does for the forms used.
func (r *actionRun) condition(cond string) bool {
	r.tb.Helper()
	cond = strings.TrimSpace(cond)
	if m := exprRE.FindStringSubmatch(cond); m != nil && m[0] == cond {
		cond = m[1]
	}
	status := false
	result := true
	if cond != "" {
		for _, term := range strings.Split(cond, "&&") {
			term = strings.TrimSpace(term)
			switch {
			case term == "always()":
				status = true
			case term == "success()":
				status = true
				result = result && !r.failed
			case term == "failure()":
				status = true
				result = result && r.failed
			case strings.Contains(term, "!="):
				lr := strings.SplitN(term, "!=", 2)
				result = result && r.value(lr[0]) != r.value(lr[1])
			case strings.Contains(term, "=="):
				lr := strings.SplitN(term, "==", 2)
				result = result && r.value(lr[0]) == r.value(lr[1])
			default:
				r.tb.Fatalf("test runner cannot evaluate condition term %q", term)
			}
		}
	}
	if !status {
		result = result && !r.failed // implicit success()
	}
	return result
}

// MustRunAction runs every step of action.yml with the given inputs.
func MustRunAction(tb testing.TB, workspace string, inputs, github map[string]string, jobEnv ...string) *actionRun {
	tb.Helper()
	r := &actionRun{tb: tb, a: MustAction(tb), inputs: inputs, github: github, workspace: workspace, steps: map[string]*stepResult{}}
	for name := range inputs {
		if _, ok := r.a.Inputs[name]; !ok {
			tb.Fatalf("test passes undeclared input %q", name)
		}
	}
	temp := filepath.Join(workspace, "..", "runner-temp")
	if err := os.MkdirAll(temp, 0o755); err != nil {
		tb.Fatal(err)
	}
	_, _, runnerOS, runnerArch := hostPlatform(tb)
	summary := filepath.Join(temp, "step-summary.md")
	r.env = baseEnv(append([]string{
		"CI=true",
		"GITHUB_ACTIONS=true",
		"GITHUB_WORKSPACE=" + workspace,
		"GITHUB_ACTION_PATH=" + github["action_path"],
		"GITHUB_PATH=" + filepath.Join(temp, "github-path"),
		"GITHUB_STEP_SUMMARY=" + summary,
		"GITHUB_SERVER_URL=https://github.invalid",
		"RUNNER_OS=" + runnerOS,
		"RUNNER_ARCH=" + runnerArch,
		"RUNNER_TEMP=" + temp,
	}, jobEnv...)...)
	for i, st := range r.a.Runs.Steps {
		res := &stepResult{outputs: map[string]string{}}
		if st.ID != "" {
			r.steps[st.ID] = res
		}
		r.order = append(r.order, res)
		if !r.condition(st.If) {
			res.outcome = "skipped"
			continue
		}
		res.ran = true
		switch {
		case st.Uses != "":
			res.with = map[string]string{}
			for k, v := range st.With {
				res.with[k] = r.interpolate(v)
			}
			res.outcome = "success"
		case st.Run != "":
			r.runStep(i, st, res)
		default:
			tb.Fatalf("step %d of action.yml has neither run nor uses", i)
		}
		if res.outcome == "failure" {
			r.failed = true
		}
	}
	return r
}

func (r *actionRun) runStep(i int, st actionStep, res *stepResult) {
	tb := r.tb
	tb.Helper()
	if st.Shell != "bash" {
		tb.Fatalf("step %q: shell %q, want bash", st.ID, st.Shell)
	}
	dir := filepath.Join(r.workspace, "..", "runner-temp")
	script := filepath.Join(dir, "step.sh")
	if err := os.WriteFile(script, []byte(r.interpolate(st.Run)), 0o644); err != nil {
		tb.Fatal(err)
	}
	outFile := filepath.Join(dir, "github-output")
	if err := os.WriteFile(outFile, nil, 0o644); err != nil {
		tb.Fatal(err)
	}
	env := append(append([]string{}, r.env...), "GITHUB_OUTPUT="+outFile)
	for k, v := range st.Env {
		env = append(env, k+"="+r.interpolate(v))
	}
	// The runner's own command line for shell: bash.
	cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", script)
	cmd.Dir = r.workspace
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	res.log = string(out)
	res.outcome = "success"
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		res.exit = exit.ExitCode()
		res.outcome = "failure"
	case err != nil:
		tb.Fatalf("step %d: %v", i, err)
	}
	res.outputs = mustParseOutputs(tb, outFile)
	tb.Logf("step %s (%s): exit %d\n%s", st.ID, st.Name, res.exit, out)
}

// mustParseOutputs reads a GITHUB_OUTPUT file: name=value lines and
// name<<DELIMITER blocks.
func mustParseOutputs(tb testing.TB, file string) map[string]string {
	tb.Helper()
	f, err := os.Open(file)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	outs := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if name, delim, ok := strings.Cut(line, "<<"); ok && !strings.Contains(name, "=") {
			var val []string
			for sc.Scan() && sc.Text() != delim {
				val = append(val, sc.Text())
			}
			outs[name] = strings.Join(val, "\n")
			continue
		}
		name, val, ok := strings.Cut(line, "=")
		if !ok {
			tb.Fatalf("GITHUB_OUTPUT line %q is neither name=value nor name<<DELIMITER", line)
		}
		outs[name] = val
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return outs
}

// output evaluates one of the action's declared outputs.
func (r *actionRun) output(name string) string {
	r.tb.Helper()
	o, ok := r.a.Outputs[name]
	if !ok {
		r.tb.Fatalf("action.yml declares no output %q", name)
	}
	return r.interpolate(o.Value)
}

// step returns the result of the step with this id.
func (r *actionRun) step(id string) *stepResult {
	r.tb.Helper()
	s, ok := r.steps[id]
	if !ok {
		r.tb.Fatalf("action.yml has no step with id %q", id)
	}
	return s
}

// uploadStep returns the result of the SARIF upload step.
func (r *actionRun) uploadStep() *stepResult {
	r.tb.Helper()
	for i, st := range r.a.Runs.Steps {
		if strings.HasPrefix(st.Uses, "github/codeql-action/upload-sarif@") {
			return r.order[i]
		}
	}
	r.tb.Fatal("action.yml has no github/codeql-action/upload-sarif step")
	return nil
}
