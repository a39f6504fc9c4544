package scan

import (
	"errors"
	"fmt"

	"github.com/safetynet-dev/safetynet/buildspec"
	"github.com/safetynet-dev/safetynet/cfn"
)

// BuildspecPass is what a rule's CheckBuildspec receives for one CodeBuild
// buildspec: a buildspec file, or the inline buildspec of a project in a
// template.
type BuildspecPass struct {
	Rule *Rule
	Spec *buildspec.Spec
	// Project is the AWS::CodeBuild::Project whose Source.BuildSpec holds
	// the buildspec; nil for a buildspec file. Template and Eval are then
	// set too.
	Project  *cfn.Resource
	Template *cfn.Template
	Eval     *cfn.Evaluator
	// prefix is the property path of the buildspec inside Project.
	prefix string
	report func(Diagnostic)
}

// NewBuildspecPass returns a pass over a buildspec file that hands each
// diagnostic to report. The engine and the test harness use it.
func NewBuildspecPass(r *Rule, s *buildspec.Spec, report func(Diagnostic)) *BuildspecPass {
	return &BuildspecPass{Rule: r, Spec: s, report: report}
}

// InlineBuildspecPass returns a pass over the buildspec held at the property
// path prefix ("Properties.Source.BuildSpec") of a template's project, whose
// findings are reported through the template pass p.
func InlineBuildspecPass(p *Pass, s *buildspec.Spec, project *cfn.Resource, prefix string) *BuildspecPass {
	return &BuildspecPass{Rule: p.Rule, Spec: s, Project: project, Template: p.Template, Eval: p.Eval, prefix: prefix, report: p.report}
}

// Reportf records a finding at a position of the buildspec; path is the
// buildspec path ("phases.build.commands[0]").
func (p *BuildspecPass) Reportf(start, end cfn.Pos, path, format string, args ...any) {
	if p.prefix != "" {
		path = p.prefix + "." + path
	}
	p.report(Diagnostic{Resource: p.Project, At: &cfn.Node{Start: start, End: end}, Path: path, Message: fmt.Sprintf(format, args...)})
}

// scanBuildspec runs the buildspec rules on a file the engine recognised as
// a buildspec. It returns false when the file is not one after all.
func scanBuildspec(u *unit, data []byte, opts *Options) bool {
	name := u.target.name()
	spec, err := buildspec.Parse(name, data)
	if errors.Is(err, buildspec.ErrNotBuildspec) {
		return false
	}
	if err != nil {
		u.failed = true
		u.errs = append(u.errs, fileError(name, err))
		return true
	}
	for _, p := range spec.Problems {
		u.errs = append(u.errs, fileError(name, p))
	}
	u.supp = buildspecSuppressions(spec, opts.index)
	pass := NewBuildspecPass(nil, spec, func(d Diagnostic) {})
	for _, r := range opts.Rules {
		if r.CheckBuildspec == nil {
			continue
		}
		pass.Rule = r
		pass.report = func(d Diagnostic) { u.findings = append(u.findings, placeFinding(r, name, d)) }
		runBuildspecCheck(r, u, pass)
	}
	return true
}

// runBuildspecCheck is runCheck for a buildspec rule.
func runBuildspecCheck(r *Rule, u *unit, pass *BuildspecPass) {
	defer func() {
		if v := recover(); v != nil {
			u.errs = append(u.errs, FileError{File: u.target.name(), Message: fmt.Sprintf("internal error in rule %s: %v (please report this)", r.ID, v)})
		}
	}()
	r.CheckBuildspec(pass)
}

// buildspecSuppressions reads the suppression comments of a buildspec file.
func buildspecSuppressions(spec *buildspec.Spec, ix *ruleIndex) *suppressions {
	s := &suppressions{file: spec.File, selected: ix.selected}
	for _, c := range spec.Suppressions {
		at := &cfn.Node{Start: c.At, End: c.At}
		where := fmt.Sprintf("comments[line %d]", c.At.Line)
		if c.Rule == "" {
			s.report(SuppressionMalformed, nil, at, where, "suppression comment names no rule (want # safetynet:suppress RULE reason)")
			continue
		}
		// A comment with nothing after it has line -1: it matches no
		// finding and is reported as unused.
		s.add(&suppression{rule: c.Rule, reason: c.Reason, at: at, path: where, line: c.Line}, nil, ix.byName)
	}
	return s
}
