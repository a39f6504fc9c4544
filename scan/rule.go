package scan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
)

// Severity ranks findings. Higher is worse.
type Severity uint8

// The severities, from least to most severe.
const (
	Info Severity = iota + 1
	Warning
	Failure
)

func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Failure:
		return "failure"
	}
	return fmt.Sprintf("severity(%d)", s)
}

// MarshalText writes the severity as its name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// ParseSeverity reads "failure", "warning" or "info".
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(s) {
	case "info":
		return Info, nil
	case "warning", "warn":
		return Warning, nil
	case "failure", "fail", "error":
		return Failure, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want failure, warning or info)", s)
}

// Rule is one check. Rules are values registered in one list; their metadata
// feeds the CLI, the documentation and the SARIF rule descriptors.
type Rule struct {
	// ID is a service prefix and a number, such as "S3-001". IDs are never
	// reused.
	ID string
	// Aliases are other names for the rule, such as the cfn_nag ID.
	Aliases []string
	// Title is one line saying what is wrong when the rule fires.
	Title    string
	Severity Severity
	// Resources are the resource types the rule inspects; empty for rules
	// that look at a template as a whole.
	Resources []string
	// Doc is Markdown: why it matters, then a bad and a good example.
	Doc string
	// Fix is the default fix hint attached to each finding.
	Fix string
	// Check inspects one template. Exactly one of Check and CheckSet is set.
	Check func(*Pass)
	// CheckSet inspects all templates scanned together, for cross-stack rules.
	CheckSet func(*SetPass)
	// CheckBuildspec inspects a CodeBuild buildspec file. A rule that sets
	// it also sets Check, for the buildspecs written inline in the
	// AWS::CodeBuild::Project resources it names.
	CheckBuildspec func(*BuildspecPass)
}

// Names returns the rule's ID followed by its aliases.
func (r *Rule) Names() []string { return append([]string{r.ID}, r.Aliases...) }

// Diagnostic is what a rule reports; the engine turns it into a Finding.
type Diagnostic struct {
	// Resource is the resource at fault; nil for findings outside Resources.
	Resource *cfn.Resource
	// At is the node to point at; nil points at the resource's key.
	At *cfn.Node
	// Path is the property path relative to the resource
	// ("Properties.SecurityGroupIngress[0].CidrIp"), or absolute from the
	// template root when Resource is nil ("Outputs.Api.Export.Name").
	Path    string
	Message string
	// Fix overrides the rule's fix hint when set.
	Fix string
	// Related names other resources whose suppression metadata also covers
	// the finding: a standalone security group rule belongs to its group,
	// where cfn_nag users put their suppressions.
	Related []string
}

// Pass is what a rule's Check receives for one template.
type Pass struct {
	Rule     *Rule
	Template *cfn.Template
	Eval     *cfn.Evaluator
	report   func(Diagnostic)
	byType   map[string][]*cfn.Resource // shared by every rule run on the template
}

// resourcesByType indexes a template's resources by type, once per
// template rather than once per rule.
func resourcesByType(t *cfn.Template) map[string][]*cfn.Resource {
	m := make(map[string][]*cfn.Resource, len(t.Resources))
	for _, r := range t.Resources {
		m[r.Type] = append(m[r.Type], r)
	}
	return m
}

// NewPass returns a pass that hands each diagnostic to report. The engine
// and the test harness use it.
func NewPass(r *Rule, t *cfn.Template, e *cfn.Evaluator, report func(Diagnostic)) *Pass {
	return &Pass{Rule: r, Template: t, Eval: e, report: report}
}

// Resources returns the template's resources of the rule's types, in file
// order. A resource whose Condition the supplied parameters decide false is
// left out: it is not deployed.
func (p *Pass) Resources() []*cfn.Resource {
	if p.byType == nil {
		p.byType = resourcesByType(p.Template)
	}
	var out []*cfn.Resource
	for _, typ := range p.Rule.Resources {
		for _, r := range p.byType[typ] {
			if r.Condition != "" && p.Eval != nil {
				if v, decided := p.Eval.Condition(r.Condition); decided && !v {
					continue
				}
			}
			out = append(out, r)
		}
	}
	if len(p.Rule.Resources) > 1 {
		// Keep file order across types.
		slices.SortStableFunc(out, func(a, b *cfn.Resource) int { return a.KeyStart.Line - b.KeyStart.Line })
	}
	return out
}

// Report records a diagnostic.
func (p *Pass) Report(d Diagnostic) { p.report(d) }

// Reportf records a diagnostic with a formatted message.
func (p *Pass) Reportf(r *cfn.Resource, at *cfn.Node, path, format string, args ...any) {
	p.report(Diagnostic{Resource: r, At: at, Path: path, Message: fmt.Sprintf(format, args...)})
}

// Unit is one template of a set scanned together.
type Unit struct {
	Template *cfn.Template
	Eval     *cfn.Evaluator
	// Stack is the stack name the template deploys as, from the stack map;
	// empty when unknown.
	Stack string
}

// SetPass is what a cross-template rule's CheckSet receives.
type SetPass struct {
	Rule   *Rule
	Units  []*Unit
	report func(*cfn.Template, Diagnostic)
}

// NewSetPass returns a set pass that hands each diagnostic to report.
func NewSetPass(r *Rule, units []*Unit, report func(*cfn.Template, Diagnostic)) *SetPass {
	return &SetPass{Rule: r, Units: units, report: report}
}

// Report records a diagnostic against template t.
func (p *SetPass) Report(t *cfn.Template, d Diagnostic) { p.report(t, d) }
