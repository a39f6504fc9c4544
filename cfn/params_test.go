package cfn_test

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/safetynet-dev/safetynet/cfn"
)

func TestParseParameterFile(t *testing.T) {
	want := map[string]string{"Env": "prod", "Port": "443", "Subnets": "subnet-1,subnet-2"}
	for _, name := range []string{"cfn_nag.json", "cli.json", "codepipeline.json", "params.yaml", "cli.yaml"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("testdata", "params", name)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got, err := cfn.ParseParameterFile(path, data)
			if err != nil {
				t.Fatalf("ParseParameterFile: %v", err)
			}
			if !maps.Equal(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
}

func TestParseParameterFileErrors(t *testing.T) {
	tests := []struct {
		name string
		line int    // 0 when the error concerns the whole file
		want string // part of the message
	}{
		{"bad-syntax.json", 6, "unexpected end of JSON input"},
		{"duplicate.json", 4, "Env given twice (first on line 3)"},
		{"map-value.yaml", 3, "not a mapping"},
		{"no-parameters.json", 2, `unexpected key "Parameter"`},
		{"no-value.json", 2, "Env has no ParameterValue"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join("testdata", "params", tc.name)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			_, err = cfn.ParseParameterFile(path, data)
			var e *cfn.Error
			if !errors.As(err, &e) {
				t.Fatalf("error = %v; want a *cfn.Error", err)
			}
			if e.File != path || e.Line != tc.line || !strings.Contains(e.Msg, tc.want) {
				t.Errorf("error = %v (line %d); want %s line %d containing %q", err, e.Line, path, tc.line, tc.want)
			}
		})
	}
}

func TestParseParameterFileEdgeCases(t *testing.T) {
	tests := []struct {
		name, src string
		want      map[string]string
		err       string
	}{
		{"empty parameters", `{"Parameters": {}}`, map[string]string{}, ""},
		{"null parameters", "Parameters:\n", map[string]string{}, ""},
		{"null value", "Parameters:\n  A:\n", map[string]string{"A": ""}, ""},
		{"bom", "\ufeff{\"Parameters\": {\"A\": \"b\"}}", map[string]string{"A": "b"}, ""},
		{"numbers kept as written", "Parameters:\n  A: 0800\n  B: 1.50\n  C: yes\n", map[string]string{"A": "0800", "B": "1.50", "C": "yes"}, ""},
		{"yaml syntax", "Parameters:\n  A: b\n  B: \"c\n", nil, "p.json:3:1: found unexpected end of stream"},
		{"empty file", "", nil, "empty parameter file"},
		{"scalar file", "hello", nil, "want {"},
		{"cli entry not a map", `["A=b"]`, nil, "each entry must be a mapping"},
		{"cli without key", `[{"ParameterValue": "b"}]`, nil, "without a ParameterKey"},
		{"cli duplicate", `[{"ParameterKey": "A", "ParameterValue": "b"}, {"ParameterKey": "A", "ParameterValue": "c"}]`, nil, "A given twice"},
		{"list of maps", `{"Parameters": {"A": [{"x": 1}]}}`, nil, "only strings"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := cfn.ParseParameterFile("p.json", []byte(tc.src))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.HasPrefix(err.Error(), "p.json") {
					t.Fatalf("error = %v; want one naming p.json containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseParameterFile: %v", err)
			}
			if !maps.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// TestParameterFileDecidesConditions feeds a parameter file to the
// evaluator, as the scan command does.
func TestParameterFileDecidesConditions(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "params", "cli.json"))
	if err != nil {
		t.Fatal(err)
	}
	supplied, err := cfn.ParseParameterFile("cli.json", data)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := MustTemplate(t, evalHeader+"      P: !If [IsProd, true, false]\n")
	e := cfn.NewEvaluator(tmpl, supplied)
	if got := showAll(e.Values(tmpl.Resource("R").Properties.Get("P"))); got != `"true"` {
		t.Errorf("got %s; want only the IsProd branch", got)
	}
}
