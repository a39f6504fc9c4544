package citest_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestActionStructure checks what makes the action safe and its verdict
// trustworthy, independent of running it.
func TestActionStructure(t *testing.T) {
	a := MustAction(t)
	if a.Runs.Using != "composite" {
		t.Fatalf("runs.using = %q, want composite", a.Runs.Using)
	}
	for _, name := range []string{"paths", "fail-on", "baseline", "config", "rules", "sarif-file", "upload-sarif", "version", "build-from-source"} {
		if _, ok := a.Inputs[name]; !ok {
			t.Errorf("input %q missing", name)
		}
	}
	if a.Inputs["upload-sarif"].Default != "true" {
		t.Errorf("upload-sarif defaults to %q, want true", a.Inputs["upload-sarif"].Default)
	}
	for _, name := range []string{"exit-code", "sarif-file"} {
		if _, ok := a.Outputs[name]; !ok {
			t.Errorf("output %q missing", name)
		}
	}

	used := map[string]bool{}
	inputRE := regexp.MustCompile(`inputs\.([A-Za-z0-9_-]+)`)
	var uploadAt, verdictAt = -1, -1
	for i, st := range a.Runs.Steps {
		where := st.ID
		if where == "" {
			where = st.Name
		}
		// Script injection: a ${{ }} inside run: is pasted into the shell
		// script before bash reads it. Values go through env: instead.
		if strings.Contains(st.Run, "${{") {
			t.Errorf("step %s: run: contains an expression; pass it through env:", where)
		}
		if st.Run != "" {
			if st.Shell != "bash" {
				t.Errorf("step %s: shell %q, want bash", where, st.Shell)
			}
			m := regexp.MustCompile(`\$GITHUB_ACTION_PATH/(scripts/action/[a-z-]+\.sh)`).FindStringSubmatch(st.Run)
			if m == nil {
				t.Errorf("step %s: run: %q does not call a script under scripts/action", where, st.Run)
			} else if _, err := os.Stat(filepath.Join(repoRoot(t), m[1])); err != nil {
				t.Errorf("step %s: %v", where, err)
			}
		}
		for _, v := range st.Env {
			for _, m := range inputRE.FindAllStringSubmatch(v, -1) {
				used[m[1]] = true
			}
		}
		for _, m := range inputRE.FindAllStringSubmatch(st.If, -1) {
			used[m[1]] = true
		}
		if st.Uses != "" {
			if !regexp.MustCompile(`^[\w.-]+/[\w./-]+@v\d+$|^[\w.-]+/[\w./-]+@[0-9a-f]{40}$`).MatchString(st.Uses) {
				t.Errorf("step %s: uses %q is not pinned to a major version tag or a commit", where, st.Uses)
			}
		}
		if strings.HasPrefix(st.Uses, "github/codeql-action/upload-sarif@") {
			uploadAt = i
			if !regexp.MustCompile(`^(always\(\)|\$\{\{\s*always\(\)\s*&&.*\}\})$`).MatchString(strings.TrimSpace(st.If)) {
				t.Errorf("upload step if: %q; it must run under always() so findings are uploaded when the scan fails", st.If)
			}
			if !strings.Contains(st.If, "sarif-exists") {
				t.Errorf("upload step if: %q does not check that the SARIF file exists", st.If)
			}
		}
		if st.ID == "verdict" {
			verdictAt = i
			if !strings.Contains(st.If, "always()") {
				t.Errorf("verdict step if: %q must hold always(), or a failed upload hides the scan's verdict", st.If)
			}
		}
	}
	for name := range a.Inputs {
		if !used[name] {
			t.Errorf("input %q reaches no step", name)
		}
	}
	switch {
	case uploadAt < 0:
		t.Error("no upload-sarif step")
	case verdictAt != len(a.Runs.Steps)-1 || verdictAt < uploadAt:
		t.Errorf("the verdict step (at %d) must be the last step, after the upload (at %d)", verdictAt, uploadAt)
	}
}

// TestActionScriptsDoNotPipeTheScan: cfn_nag's action lost the scan's
// status in a pipe. The scan's own line must not be piped.
func TestActionScriptsDoNotPipeTheScan(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "scripts", "action", "scan.sh"))
	if err != nil {
		t.Fatal(err)
	}
	emptySafe := regexp.MustCompile(`\$\{\w+\[@\]\+"\$\{\w+\[@\]\}"\}`)
	n := 0
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), `"$bin" scan`) {
			n++
			// ${a[@]+"${a[@]}"} holds no pipe; anything else with | does.
			if strings.Contains(emptySafe.ReplaceAllString(line, ""), "|") {
				t.Errorf("scan piped: %s", line)
			}
		}
	}
	if n == 0 {
		t.Error(`scan.sh has no "$bin" scan line`)
	}
}

// versionVar is the variable every build stamps with -X.
const versionVar = "github.com/safetynet-dev/safetynet.Version"

// TestVersionVariableIsStampable: -X sets only a package-level string
// variable with no initialiser other than a constant; a rename would make
// every stamped build print "dev" without an error.
func TestVersionVariableIsStampable(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(repoRoot(t), "safetynet.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.VAR {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			for i, n := range vs.Names {
				if n.Name == "Version" && i < len(vs.Values) {
					if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						found = true
					}
				}
			}
		}
	}
	if !found {
		t.Fatal(`safetynet.go has no "var Version = \"...\"" for -X to set`)
	}
	for _, file := range []string{"Makefile", "Dockerfile", "scripts/release.sh", "scripts/action/build.sh"} {
		b, err := os.ReadFile(filepath.Join(repoRoot(t), file))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), "-X "+versionVar+"=") {
			t.Errorf("%s does not stamp %s", file, versionVar)
		}
	}
}

// dockerfile is one parsed instruction.
type instruction struct {
	cmd, args string
}

// parseDockerfile reads instructions, joining continuation lines and
// dropping comments; enough for the checks below.
func parseDockerfile(t *testing.T, text string) [][]instruction {
	t.Helper()
	var stages [][]instruction
	var cur strings.Builder
	flush := func() {
		line := strings.TrimSpace(cur.String())
		cur.Reset()
		if line == "" {
			return
		}
		cmd, args, _ := strings.Cut(line, " ")
		cmd = strings.ToUpper(cmd)
		if cmd == "FROM" {
			stages = append(stages, nil)
		}
		if len(stages) == 0 {
			if cmd != "ARG" {
				t.Fatalf("Dockerfile: %s before FROM", cmd)
			}
			return
		}
		stages[len(stages)-1] = append(stages[len(stages)-1], instruction{cmd, strings.TrimSpace(args)})
	}
	for _, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "#") {
			continue
		}
		if strings.HasSuffix(trimmed, `\`) {
			cur.WriteString(strings.TrimSuffix(trimmed, `\`) + " ")
			continue
		}
		cur.WriteString(trimmed)
		flush()
	}
	flush()
	return stages
}

func TestDockerfileIsStaticAndNonRoot(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	stages := parseDockerfile(t, string(b))
	if len(stages) < 2 {
		t.Fatalf("Dockerfile has %d stages, want a build stage and a final stage", len(stages))
	}
	build, final := stages[0], stages[len(stages)-1]
	if !strings.HasPrefix(build[0].args, "golang:1.26") {
		t.Errorf("build stage FROM %q, want golang:1.26", build[0].args)
	}
	var buildRun string
	for _, in := range build {
		if in.cmd == "RUN" && strings.Contains(in.args, "go build") {
			buildRun = in.args
		}
	}
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", "-s -w", "-X " + versionVar + "=", "./cmd/safetynet"} {
		if !strings.Contains(buildRun, want) {
			t.Errorf("go build step %q lacks %q", buildRun, want)
		}
	}
	base := final[0].args
	if !strings.HasPrefix(base, "gcr.io/distroless/static") && base != "scratch" {
		t.Errorf("final stage FROM %q, want distroless static or scratch (a static binary needs nothing else)", base)
	}
	var user, entry, workdir, copied string
	for _, in := range final {
		switch in.cmd {
		case "USER":
			user = in.args
		case "ENTRYPOINT":
			entry = in.args
		case "WORKDIR":
			workdir = in.args
		case "COPY":
			f := strings.Fields(in.args)
			copied = f[len(f)-1]
		}
	}
	uid, _, _ := strings.Cut(user, ":")
	if !regexp.MustCompile(`^[1-9][0-9]*$`).MatchString(uid) {
		t.Errorf("final USER %q, want a numeric non-zero uid (Kubernetes runAsNonRoot checks numbers)", user)
	}
	if workdir == "" {
		t.Error("final stage has no WORKDIR for the mounted code")
	}
	if entry != `["`+copied+`"]` {
		t.Errorf("ENTRYPOINT %s, want the exec form of the copied binary %q", entry, copied)
	}

	ignore, err := os.ReadFile(filepath.Join(repoRoot(t), ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{".git", "dist", "*.db"} {
		if !strings.Contains("\n"+string(ignore)+"\n", "\n"+want+"\n") {
			t.Errorf(".dockerignore does not leave out %s", want)
		}
	}
}

func TestMakefileTargets(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	mk := string(b)
	for _, target := range []string{"build", "test", "lambda", "release", "clean"} {
		if !regexp.MustCompile(`(?m)^` + target + `:`).MatchString(mk) {
			t.Errorf("Makefile has no %s target", target)
		}
	}
	// The Lambda bundle's build line is documented in docs/codepipeline.md;
	// keep the two the same.
	lambda := "GOOS=linux GOARCH=arm64 CGO_ENABLED=0 go build -trimpath -tags lambda.norpc -o dist/lambda/bootstrap ./cmd/safetynet-lambda && cd dist/lambda && zip -X"
	if !strings.Contains(mk, lambda) {
		t.Errorf("Makefile's lambda target does not run %q", lambda)
	}
	if !regexp.MustCompile(`(?m)^test:\n\tgo test \./\.\.\.$`).MatchString(mk) {
		t.Error("Makefile's test target is not go test ./...")
	}
}
