package citest_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestMakeRelease cross-compiles all six release archives, which takes a
// minute or two on a small machine. So that the default `go test ./...`
// stays quick it runs only in CI (CI=true, as .ci/run sets) or when
// SAFETYNET_TEST_RELEASE=1, and never with -short. The host-platform
// archive is built and checked by every action test through MustRelease.
func TestMakeRelease(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-compiles six binaries; skipped in -short")
	}
	if os.Getenv("CI") != "true" && os.Getenv("SAFETYNET_TEST_RELEASE") != "1" {
		t.Skip("cross-compiles six binaries; set SAFETYNET_TEST_RELEASE=1 (or CI=true) to run")
	}
	needTools(t, "make", "bash", "go", "tar", "gzip", "zip", "unzip", "sha256sum")
	dist := t.TempDir()
	cmd := exec.Command("make", "release", "VERSION=v0.0.0-test", "DIST="+dist)
	cmd.Dir = repoRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make release: %v\n%s", err, out)
	}

	want := map[string]string{}
	for _, goos := range []string{"linux", "darwin", "windows"} {
		for _, goarch := range []string{"amd64", "arm64"} {
			name, exe := "safetynet_0.0.0-test_"+goos+"_"+goarch+".tar.gz", "safetynet"
			if goos == "windows" {
				name, exe = strings.TrimSuffix(name, ".tar.gz")+".zip", "safetynet.exe"
			}
			want[name] = exe
		}
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
