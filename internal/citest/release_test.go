package citest_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// allPlatforms is what a release holds (scripts/release.sh's default).
var allPlatforms = []string{"linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64", "windows/amd64", "windows/arm64"}

// TestMakeRelease runs `make release` and checks the archives and
// checksums.txt. Cross-compiling means compiling every dependency once per
// platform: all six took about ten minutes on two cores shared with other
// builds (a go test package's whole default timeout), so the full set runs
// only with SAFETYNET_TEST_RELEASE=1. In CI (CI=true, as .ci/run sets) it
// builds two platforms that cover both archive kinds (tar.gz and Windows'
// zip) and checks the default platform list separately; elsewhere, and with
// -short, it is skipped so the default `go test ./...` stays quick. The
// host-platform archive is built and checked by every action test through
// MustRelease in any case.
func TestMakeRelease(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-compiles; skipped in -short")
	}
	platforms := allPlatforms
	switch {
	case os.Getenv("SAFETYNET_TEST_RELEASE") == "1":
	case os.Getenv("CI") == "true":
		platforms = []string{"linux/amd64", "windows/amd64"}
	default:
		t.Skip("cross-compiles; set SAFETYNET_TEST_RELEASE=1 for all six platforms (CI=true builds two)")
	}
	needTools(t, "make", "bash", "go", "tar", "gzip", "zip", "unzip", "sha256sum")
	dist := t.TempDir()
	args := []string{"release", "VERSION=v0.0.0-test", "DIST=" + dist}
	if len(platforms) != len(allPlatforms) {
		args = append(args, "PLATFORMS="+strings.Join(platforms, " "))
	}
	cmd := exec.Command("make", args...)
	cmd.Dir = repoRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make release: %v\n%s", err, out)
	}

	want := map[string]string{}
	for _, p := range platforms {
		goos, goarch, _ := strings.Cut(p, "/")
		name, exe := "safetynet_0.0.0-test_"+goos+"_"+goarch+".tar.gz", "safetynet"
		if goos == "windows" {
			name, exe = strings.TrimSuffix(name, ".tar.gz")+".zip", "safetynet.exe"
		}
		want[name] = exe
	}
	entries, err := os.ReadDir(dist)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if len(got) != len(want)+1 {
		t.Errorf("dist holds %v, want the %d archives and checksums.txt", got, len(want))
	}

	sums, err := os.ReadFile(filepath.Join(dist, "checksums.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for name := range want {
		if !strings.Contains(string(sums), "  "+name+"\n") {
			t.Errorf("checksums.txt has no line for %s", name)
		}
	}
	check := exec.Command("sha256sum", "-c", "checksums.txt")
	check.Dir = dist
	if out, err := check.CombinedOutput(); err != nil {
		t.Errorf("sha256sum -c checksums.txt: %v\n%s", err, out)
	}

	for name, exe := range want {
		var list *exec.Cmd
		if strings.HasSuffix(name, ".zip") {
			list = exec.Command("unzip", "-Z1", filepath.Join(dist, name))
		} else {
			list = exec.Command("tar", "-tzf", filepath.Join(dist, name))
		}
		out, err := list.Output()
		if err != nil || !strings.Contains("\n"+string(out), "\n"+exe+"\n") {
			t.Errorf("%s does not hold %s at its top level (%v):\n%s", name, exe, err, out)
		}
	}

	// The host's own binary runs and reports the stamped version.
	host := "safetynet_0.0.0-test_" + runtime.GOOS + "_" + runtime.GOARCH + ".tar.gz"
	if _, ok := want[host]; ok {
		dir := t.TempDir()
		if out, err := exec.Command("tar", "-xzf", filepath.Join(dist, host), "-C", dir, "safetynet").CombinedOutput(); err != nil {
			t.Fatalf("unpack: %v\n%s", err, out)
		}
		out, err := exec.Command(filepath.Join(dir, "safetynet"), "version").CombinedOutput()
		if err != nil || !strings.HasPrefix(string(out), "safetynet v0.0.0-test ") {
			t.Errorf("safetynet version = %q (%v), want the stamped v0.0.0-test", out, err)
		}
	}
}

// TestReleasePlatforms: a release holds linux, darwin and windows on amd64
// and arm64, the platforms the action installs for.
func TestReleasePlatforms(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "scripts", "release.sh"))
	if err != nil {
		t.Fatal(err)
	}
	want := "PLATFORMS=${PLATFORMS:-" + strings.Join(allPlatforms, " ") + "}"
	if !strings.Contains(string(b), want) {
		t.Errorf("scripts/release.sh does not default to %s", want)
	}
}
