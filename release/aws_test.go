package release_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/release"
)

func mustFixture(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// The fixtures follow the event shapes AWS documents for EventBridge:
// CodeBuild's "Build notifications input format reference", CodePipeline's
// "Monitoring CodePipeline events" and CloudWatch's "Alarm events and
// EventBridge".
func TestParseEvent(t *testing.T) {
	tests := []struct {
		file                                     string
		kind, name, execution, state, stage, url string
		failed                                   bool
	}{
		{"codebuild_failed.json", release.KindCodeBuild, "api-build", "api-build:8745a7a9-c340-456a-9166-edf953571bef", "FAILED", "",
			"https://eu-west-1.console.aws.amazon.com/codesuite/codebuild/123456789012/projects/api-build/build/api-build:8745a7a9-c340-456a-9166-edf953571bef/?region=eu-west-1", true},
		{"codepipeline_execution_succeeded.json", release.KindPipeline, "api-pipeline", "12345678-1234-5678-abcd-12345678abcd", "SUCCEEDED", "",
			"https://eu-west-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/api-pipeline/executions/12345678-1234-5678-abcd-12345678abcd/timeline?region=eu-west-1", false},
		{"codepipeline_execution_failed.json", release.KindPipeline, "api-pipeline", "12345678-1234-5678-abcd-12345678abcd", "FAILED", "", "", true},
		{"codepipeline_action_succeeded.json", release.KindAction, "api-pipeline", "12345678-1234-5678-abcd-12345678abcd", "SUCCEEDED", "Staging", "", false},
		{"cloudwatch_alarm.json", release.KindAlarm, "payments-5xx", "", "ALARM", "",
			"https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/payments-5xx", false},
		{"cloudwatch_ok.json", release.KindAlarm, "payments-5xx", "", "OK", "", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			e, err := release.ParseEvent(mustFixture(t, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if e.Kind != tc.kind || e.Name != tc.name || e.Execution != tc.execution || e.State != tc.state || e.Stage != tc.stage || e.Failed() != tc.failed {
				t.Errorf("event = %+v", e)
			}
			if tc.url != "" && e.URL != tc.url {
				t.Errorf("url = %s\nwant  %s", e.URL, tc.url)
			}
			if e.Account != "123456789012" || e.Region != "eu-west-1" || e.At.IsZero() || e.ID == "" {
				t.Errorf("envelope = %+v", e)
			}
		})
	}
	e, _ := release.ParseEvent(mustFixture(t, "codepipeline_action_succeeded.json"))
	if e.Category != "Deploy" || e.Action != "DeployStack" || e.Reason != "Stack api-staging updated" {
		t.Errorf("action = %+v", e)
	}
}

func TestParseEventRefusesOtherInput(t *testing.T) {
	build := string(mustFixture(t, "codebuild_failed.json"))
	for name, body := range map[string]string{
		"not JSON":              "hello",
		"other detail type":     strings.Replace(build, "CodeBuild Build State Change", "EC2 Instance State-change Notification", 1),
		"region used in a URL":  strings.Replace(build, `"region": "eu-west-1"`, `"region": "evil.example/x"`, 1),
		"account not 12 digits": strings.Replace(build, `"account": "123456789012"`, `"account": "me"`, 1),
		"no project":            strings.Replace(build, `"project-name": "api-build",`, "", 1),
		"no id":                 strings.Replace(build, `"id": "c030038d-8c4d-6141-9545-00ff7b7153ef",`, "", 1),
	} {
		if _, err := release.ParseEvent([]byte(body)); safetynet.ErrorCode(err) != safetynet.EINVALID {
			t.Errorf("%s: err = %v, want invalid", name, err)
		}
	}
}
