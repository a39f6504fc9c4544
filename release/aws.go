package release

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
)

// The kinds of AWS event the server understands, as BuildEvent.Kind.
const (
	KindCodeBuild = "codebuild"
	KindPipeline  = "codepipeline"
	KindAction    = "codepipeline-action"
	KindAlarm     = "cloudwatch-alarm"
)

// The EventBridge detail types of those kinds.
var detailTypes = map[string]string{
	"CodeBuild Build State Change":                 KindCodeBuild,
	"CodePipeline Pipeline Execution State Change": KindPipeline,
	"CodePipeline Action Execution State Change":   KindAction,
	"CloudWatch Alarm State Change":                KindAlarm,
}

// Event is an EventBridge event reduced to what the server acts on.
type Event struct {
	ID      string // EventBridge's event id
	Kind    string
	Account string
	Region  string
	At      time.Time
	// Name is the CodeBuild project, the pipeline, or the alarm.
	Name string
	// Execution is the build ID ("project:uuid") or the pipeline
	// execution ID.
	Execution string
	// Stage, Action and Category describe a pipeline action.
	Stage, Action, Category string
	// State is as AWS writes it: SUCCEEDED, FAILED, STOPPED, ALARM, OK...
	State string
	// Reason is the alarm's reason or the action's failure summary.
	Reason string
	// URL is where the AWS console shows it.
	URL string
}

// envelope is the common part of every EventBridge event.
type envelope struct {
	ID         string          `json:"id"`
	DetailType string          `json:"detail-type"`
	Source     string          `json:"source"`
	Account    string          `json:"account"`
	Time       time.Time       `json:"time"`
	Region     string          `json:"region"`
	Detail     json.RawMessage `json:"detail"`
}

type codeBuildDetail struct {
	Status  string `json:"build-status"`
	Project string `json:"project-name"`
	BuildID string `json:"build-id"`
}

type pipelineDetail struct {
	Pipeline  string `json:"pipeline"`
	Execution string `json:"execution-id"`
	State     string `json:"state"`
	Stage     string `json:"stage"`
	Action    string `json:"action"`
	Type      struct {
		Category string `json:"category"`
	} `json:"type"`
	Result struct {
		Summary string `json:"external-execution-summary"`
		URL     string `json:"external-execution-url"`
	} `json:"execution-result"`
}

type alarmDetail struct {
	Name  string `json:"alarmName"`
	State struct {
		Value  string `json:"value"`
		Reason string `json:"reason"`
	} `json:"state"`
}

var (
	regionRE  = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$`)
	accountRE = regexp.MustCompile(`^[0-9]{12}$`)
)

// maxEventText bounds the free text kept from an event.
const maxEventText = 500

// ParseEvent reads one EventBridge event as an API destination sends it
// (the whole event as the body, unless the rule's input transformer
// changed it).
func ParseEvent(body []byte) (Event, error) {
	var env envelope
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&env); err != nil {
		return Event{}, safetynet.Errorf(safetynet.EINVALID, "not an EventBridge event: %v", err)
	}
	kind, ok := detailTypes[env.DetailType]
	if !ok {
		return Event{}, safetynet.Errorf(safetynet.EINVALID, "detail-type %q is not one of: CodeBuild Build State Change, CodePipeline Pipeline Execution State Change, CodePipeline Action Execution State Change, CloudWatch Alarm State Change", clip(env.DetailType, 80))
	}
	if env.ID == "" || len(env.ID) > 128 {
		return Event{}, safetynet.Errorf(safetynet.EINVALID, "the event has no id (or one longer than 128 bytes)")
	}
	if !regionRE.MatchString(env.Region) || !accountRE.MatchString(env.Account) {
		return Event{}, safetynet.Errorf(safetynet.EINVALID, "the event's region %q or account %q is not an AWS region or account ID", clip(env.Region, 40), clip(env.Account, 40))
	}
	e := Event{ID: env.ID, Kind: kind, Account: env.Account, Region: env.Region, At: env.Time.UTC()}
	console := "https://" + env.Region + ".console.aws.amazon.com/"
	switch kind {
	case KindCodeBuild:
		var d codeBuildDetail
		if err := json.Unmarshal(env.Detail, &d); err != nil || d.Project == "" || d.Status == "" {
			return Event{}, safetynet.Errorf(safetynet.EINVALID, "CodeBuild event %s: detail needs project-name and build-status", env.ID)
		}
		e.Name, e.State = d.Project, d.Status
		// The build ID is the ARN's resource part: "project:uuid".
		e.Execution = d.BuildID
		if i := strings.LastIndex(d.BuildID, ":build/"); i >= 0 {
			e.Execution = d.BuildID[i+len(":build/"):]
		}
		e.URL = console + "codesuite/codebuild/" + env.Account + "/projects/" + url.PathEscape(d.Project)
		if e.Execution != "" {
			e.URL += "/build/" + url.PathEscape(e.Execution)
		}
		e.URL += "/?region=" + env.Region
	case KindPipeline, KindAction:
		var d pipelineDetail
		if err := json.Unmarshal(env.Detail, &d); err != nil || d.Pipeline == "" || d.State == "" {
			return Event{}, safetynet.Errorf(safetynet.EINVALID, "CodePipeline event %s: detail needs pipeline and state", env.ID)
		}
		e.Name, e.Execution, e.State = d.Pipeline, d.Execution, d.State
		e.URL = console + "codesuite/codepipeline/pipelines/" + url.PathEscape(d.Pipeline)
		if d.Execution != "" {
			e.URL += "/executions/" + url.PathEscape(d.Execution) + "/timeline"
		}
		e.URL += "?region=" + env.Region
		if kind == KindAction {
			if d.Stage == "" || d.Action == "" {
				return Event{}, safetynet.Errorf(safetynet.EINVALID, "CodePipeline action event %s: detail needs stage and action", env.ID)
			}
			e.Stage, e.Action, e.Category = d.Stage, d.Action, d.Type.Category
			e.Reason = clip(d.Result.Summary, maxEventText)
		}
	case KindAlarm:
		var d alarmDetail
		if err := json.Unmarshal(env.Detail, &d); err != nil || d.Name == "" || d.State.Value == "" {
			return Event{}, safetynet.Errorf(safetynet.EINVALID, "CloudWatch alarm event %s: detail needs alarmName and state.value", env.ID)
		}
		e.Name, e.State, e.Reason = d.Name, d.State.Value, clip(d.State.Reason, maxEventText)
		e.URL = console + "cloudwatch/home?region=" + env.Region + "#alarmsV2:alarm/" + url.PathEscape(d.Name)
	}
	if len(e.Name) > 255 || len(e.Execution) > 255 || len(e.State) > 40 {
		return Event{}, safetynet.Errorf(safetynet.EINVALID, "event %s: name, execution or state too long", env.ID)
	}
	return e, nil
}

// Failed reports whether a build, pipeline or action event is a failure a
// team must hear about.
func (e *Event) Failed() bool {
	return e.Kind != KindAlarm && (e.State == "FAILED" || e.State == "STOPPED")
}

// Title names the event for a person: "CodeBuild api-build FAILED".
func (e *Event) Title() string {
	switch e.Kind {
	case KindCodeBuild:
		return fmt.Sprintf("CodeBuild %s %s", e.Name, e.State)
	case KindPipeline:
		return fmt.Sprintf("CodePipeline %s %s", e.Name, e.State)
	case KindAction:
		return fmt.Sprintf("CodePipeline %s, %s/%s %s", e.Name, e.Stage, e.Action, e.State)
	}
	return fmt.Sprintf("CloudWatch alarm %s %s", e.Name, e.State)
}

// Mapping ties AWS resources to services, teams and components (the
// aws_events: section of the config).
type Mapping struct {
	Builds    []BuildTarget
	Pipelines []PipelineTarget
	Alarms    []AlarmTarget
}

// BuildTarget maps a CodeBuild project.
type BuildTarget struct {
	Project    string
	Service    string
	Team       string // the owner of the first component when empty
	Components []string
}

// PipelineTarget maps a CodePipeline pipeline.
type PipelineTarget struct {
	Pipeline   string
	Service    string
	Team       string
	Components []string
	// Environment, when set, makes a SUCCEEDED pipeline execution a
	// deployment of the service there.
	Environment string
	// Stages map a stage name to an environment: a SUCCEEDED Deploy action
	// in that stage is a deployment there.
	Stages map[string]string
}

// AlarmTarget maps a CloudWatch alarm to the component whose status it
// drives while in ALARM.
type AlarmTarget struct {
	Alarm     string
	Component string
	Status    status.Status // default major_outage
	Team      string
}

// target is what a mapped event names.
type target struct {
	service, team string
	components    []string
	environment   string // for deployments
	status        status.Status
}

// find returns the mapping of an event, and false when it has none.
func (m *Mapping) find(e *Event) (target, bool) {
	switch e.Kind {
	case KindCodeBuild:
		for _, b := range m.Builds {
			if b.Project == e.Name {
				return target{service: b.Service, team: b.Team, components: b.Components}, true
			}
		}
	case KindPipeline, KindAction:
		for _, p := range m.Pipelines {
			if p.Pipeline == e.Name {
				t := target{service: p.Service, team: p.Team, components: p.Components}
				if e.Kind == KindPipeline {
					t.environment = p.Environment
				} else if e.Category == "Deploy" {
					t.environment = p.Stages[e.Stage]
				}
				return t, true
			}
		}
	case KindAlarm:
		for _, a := range m.Alarms {
			if a.Alarm == e.Name {
				s := a.Status
				if s == "" {
					s = status.MajorOutage
				}
				return target{team: a.Team, components: []string{a.Component}, status: s}, true
			}
		}
	}
	return target{}, false
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8Start(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }
