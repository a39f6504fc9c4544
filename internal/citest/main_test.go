package citest_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// testVersion is stamped into the binary the tests build. It looks like a
// release tag so that the action's installer accepts it.
const testVersion = "v0.0.0-citest"

var (
	shared     string // a directory removed after every test has run
	buildOnce  sync.Once
	buildErr   error
	releaseDir string // scripts/release.sh output for the host platform
	binPath    string // the binary extracted from that archive
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "citest")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	shared = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// repoRoot is the checkout the tests run in.
func repoRoot(tb testing.TB) string {
	tb.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		tb.Fatalf("repository root not found: %v", err)
	}
	return root
}

// needTools skips the test when a tool it drives is not installed.
func needTools(tb testing.TB, tools ...string) {
	tb.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			tb.Skipf("%s is not installed", tool)
		}
	}
}

// hostPlatform returns GOOS/GOARCH and the runner's RUNNER_OS and
// RUNNER_ARCH for it, or skips where the action has no release archive.
func hostPlatform(tb testing.TB) (goos, goarch, runnerOS, runnerArch string) {
	tb.Helper()
	switch runtime.GOOS {
	case "linux":
		runnerOS = "Linux"
	case "darwin":
		runnerOS = "macOS"
	default:
		tb.Skipf("the action tests run on Linux and macOS, not %s", runtime.GOOS)
	}
	switch runtime.GOARCH {
	case "amd64":
		runnerArch = "X64"
	case "arm64":
		runnerArch = "ARM64"
	default:
		tb.Skipf("no release archive for %s", runtime.GOARCH)
	}
	return runtime.GOOS, runtime.GOARCH, runnerOS, runnerArch
}

// MustRelease builds this checkout's release archive for the host platform
// once, with scripts/release.sh, and returns the directory holding it and
// checksums.txt, and the binary unpacked from it. Every test that needs a
// safetynet binary uses this one, so the slow link happens once.
func MustRelease(tb testing.TB) (dir, bin string) {
	tb.Helper()
	needTools(tb, "bash", "go", "tar", "gzip")
	goos, goarch, _, _ := hostPlatform(tb)
	buildOnce.Do(func() {
		releaseDir = filepath.Join(shared, "release")
		cmd := exec.Command("bash", "scripts/release.sh")
		cmd.Dir = repoRoot(tb)
		cmd.Env = append(os.Environ(), "VERSION="+testVersion, "DIST="+releaseDir, "PLATFORMS="+goos+"/"+goarch)
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("scripts/release.sh: %v\n%s", err, out)
			return
		}
		unpack := filepath.Join(shared, "bin")
		if err := os.MkdirAll(unpack, 0o755); err != nil {
			buildErr = err
			return
		}
		archive := filepath.Join(releaseDir, archiveName(goos, goarch))
		if out, err := exec.Command("tar", "-xzf", archive, "-C", unpack, "safetynet").CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("unpack %s: %v\n%s", archive, err, out)
			return
		}
		binPath = filepath.Join(unpack, "safetynet")
	})
	if buildErr != nil {
		tb.Fatal(buildErr)
	}
	return releaseDir, binPath
}

// archiveName is the release archive's name, as scripts/release.sh writes
// it and scripts/action/install.sh downloads it.
func archiveName(goos, goarch string) string {
	ext := "tar.gz"
	if goos == "windows" {
		ext = "zip"
	}
	return fmt.Sprintf("safetynet_%s_%s_%s.%s", strings.TrimPrefix(testVersion, "v"), goos, goarch, ext)
}

// Templates the tests scan: one clean, one with a failure-level finding,
// one that cannot be parsed.
const (
	cleanTemplate = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      KmsMasterKeyId: alias/aws/sns
`
	findingsTemplate = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  AdminGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: ssh from anywhere
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 0.0.0.0/0
`
	brokenTemplate = "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Topic:\n    Type: [AWS::SNS::Topic\n"
)

// MustWrite writes files (name -> content) under dir.
func MustWrite(tb testing.TB, dir string, files map[string]string) {
	tb.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}

// baseEnv is the small environment the scripts under test get: enough to
// find tools, nothing of the developer's own GITHUB_* or AWS settings.
func baseEnv(extra ...string) []string {
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "TMPDIR=" + os.TempDir(), "LANG=C"}
	for _, k := range []string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOFLAGS", "GOPROXY", "GOTOOLCHAIN"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return append(env, extra...)
}
