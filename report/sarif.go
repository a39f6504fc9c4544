package report

import (
	"cmp"
	"encoding/json"
	"io"
	"strings"
	"unicode"

	"github.com/safetynet-dev/safetynet/scan"
)

// SARIF is written from plain structs covering only the parts safetynet
// fills; a SARIF library would add a dependency for little more than field
// names. The test validates the output against the official schema.

const (
	sarifSchemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	sarifVersion   = "2.1.0"
	// srcRoot is the conventional base id for the repository root; GitHub
	// code scanning and most viewers understand it.
	srcRoot = "%SRCROOT%"
	// fingerprintKey names our fingerprint in partialFingerprints; the
	// version lets the hash change later without clashing with old alerts.
	fingerprintKey = "safetynet/v1"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                   `json:"tool"`
	Invocations        []sarifInvocation           `json:"invocations"`
	OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds,omitempty"`
	Results            []sarifResult               `json:"results"`
	ColumnKind         string                      `json:"columnKind"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string            `json:"name"`
	Version        string            `json:"version,omitempty"`
	InformationURI string            `json:"informationUri"`
	Rules          []sarifDescriptor `json:"rules"`
}

type sarifDescriptor struct {
	ID                   string          `json:"id"`
	Name                 string          `json:"name,omitempty"`
	ShortDescription     *sarifMultiText `json:"shortDescription,omitempty"`
	FullDescription      *sarifMultiText `json:"fullDescription,omitempty"`
	Help                 *sarifMultiText `json:"help,omitempty"`
	DefaultConfiguration sarifConfig     `json:"defaultConfiguration"`
	Properties           sarifRuleProps  `json:"properties"`
}

type sarifMultiText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Aliases []string `json:"aliases,omitempty"`
	Tags    []string `json:"tags,omitempty"`
	// SecuritySeverity is read by GitHub code scanning to rank security
	// alerts (critical/high/medium/low) instead of showing plain levels.
	SecuritySeverity string `json:"security-severity,omitempty"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifMessage    `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           int                `json:"ruleIndex"`
	Level               string             `json:"level"`
	Message             sarifMessage       `json:"message"`
	Locations           []sarifLocation    `json:"locations"`
	PartialFingerprints map[string]string  `json:"partialFingerprints,omitempty"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	Properties          *sarifResultProps  `json:"properties,omitempty"`
}

type sarifResultProps struct {
	Path string `json:"path,omitempty"`
	Fix  string `json:"fix,omitempty"`
}

type sarifSuppression struct {
	Kind string `json:"kind"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysical `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
	Region           *sarifRegion     `json:"region,omitempty"`
}

type sarifArtifactLoc struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

type sarifLogical struct {
	Name               string `json:"name"`
	FullyQualifiedName string `json:"fullyQualifiedName,omitempty"`
	Kind               string `json:"kind"`
}

// writeSARIF writes one SARIF 2.1.0 run. Suppressed findings are included
// with an inSource suppression so code scanning closes their alerts instead
// of forgetting them.
func writeSARIF(w io.Writer, res *scan.Result, opts Options) error {
	b := sarifBuilder{opts: opts, index: map[string]int{}}
	for _, r := range res.Rules {
		b.addRule(r)
	}

	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           "safetynet",
			Version:        opts.ToolVersion,
			InformationURI: cmp.Or(opts.InformationURI, DefaultInformationURI),
		}},
		Results:    []sarifResult{},
		ColumnKind: "unicodeCodePoints",
	}
	if base := opts.baseURI(); base != "" {
		run.OriginalURIBaseIDs = map[string]sarifArtifactLoc{srcRoot: {URI: base}}
	}

	for _, f := range sortedFindings(res.Findings, byPosition) {
		run.Results = append(run.Results, b.result(f, false))
	}
	for _, f := range sortedFindings(res.Suppressed, byPosition) {
		run.Results = append(run.Results, b.result(f, true))
	}
	run.Tool.Driver.Rules = b.rules
	if run.Tool.Driver.Rules == nil {
		run.Tool.Driver.Rules = []sarifDescriptor{}
	}

	// The scan itself completes when a template cannot be read; that is
	// reported as an error notification. executionSuccessful is false then
	// so a viewer does not present a partial scan as a clean one.
	inv := sarifInvocation{ExecutionSuccessful: len(res.Errors) == 0}
	for _, e := range sortedErrors(res.Errors) {
		n := sarifNotification{Level: "error", Message: sarifMessage{Text: e.Message}}
		if e.File != "" {
			n.Locations = []sarifLocation{{PhysicalLocation: b.physical(e.File, e.Line, e.Column, 0, 0)}}
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
	}
	run.Invocations = []sarifInvocation{inv}

	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Schema: sarifSchemaURI, Version: sarifVersion, Runs: []sarifRun{run}})
}

type sarifBuilder struct {
	opts  Options
	rules []sarifDescriptor
	index map[string]int // rule id → position in rules, for ruleIndex
}

func (b *sarifBuilder) addRule(r *scan.Rule) int {
	if i, ok := b.index[r.ID]; ok {
		return i
	}
	d := sarifDescriptor{
		ID:                   r.ID,
		Name:                 ruleName(r.Title),
		DefaultConfiguration: sarifConfig{Level: sarifLevel(r.Severity)},
		Properties: sarifRuleProps{
			Aliases:          r.Aliases,
			Tags:             append([]string{"security", "cloudformation"}, r.Resources...),
			SecuritySeverity: securitySeverity(r.Severity),
		},
	}
	if r.Title != "" {
		d.ShortDescription = &sarifMultiText{Text: r.Title}
	}
	if doc := strings.TrimSpace(r.Doc); doc != "" {
		// fullDescription is shown in lists where a paragraph fits; help is
		// the whole page with the bad and good examples.
		first, _, _ := strings.Cut(doc, "\n\n")
		d.FullDescription = &sarifMultiText{Text: first, Markdown: first}
		d.Help = &sarifMultiText{Text: doc, Markdown: doc}
	}
	b.index[r.ID] = len(b.rules)
	b.rules = append(b.rules, d)
	return b.index[r.ID]
}

func (b *sarifBuilder) result(f scan.Finding, suppressed bool) sarifResult {
	i, ok := b.index[f.Rule]
	if !ok {
		// A finding from a rule the result does not describe (an engine
		// diagnostic, say) still needs a descriptor for ruleIndex to point at.
		i = b.addRule(&scan.Rule{ID: f.Rule, Aliases: f.Aliases, Severity: f.Severity})
	}
	r := sarifResult{
		RuleID:    f.Rule,
		RuleIndex: i,
		Level:     sarifLevel(f.Severity),
		Message:   sarifMessage{Text: f.Message},
		Locations: []sarifLocation{{
			PhysicalLocation: b.physical(f.File, f.Line, f.Column, f.EndLine, f.EndColumn),
		}},
	}
	if f.Resource != "" {
		r.Locations[0].LogicalLocations = []sarifLogical{{
			Name:               f.Resource,
			FullyQualifiedName: "Resources." + f.Resource,
			Kind:               "resource",
		}}
	}
	if f.Fingerprint != "" {
		r.PartialFingerprints = map[string]string{fingerprintKey: f.Fingerprint}
	}
	if suppressed {
		r.Suppressions = []sarifSuppression{{Kind: "inSource"}}
	}
	if f.Path != "" || f.Fix != "" {
		r.Properties = &sarifResultProps{Path: f.Path, Fix: f.Fix}
	}
	return r
}

func (b *sarifBuilder) physical(file string, line, col, endLine, endCol int) *sarifPhysical {
	p := &sarifPhysical{}
	if rel, ok := b.opts.repoPath(file); ok {
		p.ArtifactLocation = sarifArtifactLoc{URI: relURI(rel), URIBaseID: srcRoot}
	} else {
		p.ArtifactLocation = sarifArtifactLoc{URI: fileURI(rel)}
	}
	if line > 0 {
		reg := &sarifRegion{StartLine: line}
		if col > 0 {
			reg.StartColumn = col
		}
		// The schema requires an end at or after the start; drop an end
		// that is not, rather than emit an invalid region.
		if endLine >= line {
			reg.EndLine = endLine
			if endCol > 0 && (endLine > line || endCol >= col) {
				reg.EndColumn = endCol
			}
		}
		p.Region = reg
	}
	return p
}

func sarifLevel(s scan.Severity) string {
	switch s {
	case scan.Failure:
		return "error"
	case scan.Warning:
		return "warning"
	}
	return "note"
}

// securitySeverity maps our three levels onto GitHub's CVSS-like scale:
// 7.0 and up is high, 4.0 medium, 0.1 low.
func securitySeverity(s scan.Severity) string {
	switch s {
	case scan.Failure:
		return "8.0"
	case scan.Warning:
		return "5.0"
	}
	return "2.0"
}

// ruleName turns a title into the PascalCase identifier SARIF expects in
// name ("S3 bucket allows public read" → "S3BucketAllowsPublicRead").
func ruleName(title string) string {
	var b strings.Builder
	for _, word := range strings.FieldsFunc(title, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		rs := []rune(word)
		rs[0] = unicode.ToUpper(rs[0])
		b.WriteString(string(rs))
	}
	return b.String()
}
