package buildspec

import (
	"strings"

	bs "github.com/safetynet-dev/safetynet/buildspec"
	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
)

// project is the resource type whose inline buildspecs the rules read.
var project = []string{"AWS::CodeBuild::Project"}

// buildSpecPath is where a project holds its buildspec.
const buildSpecPath = "Properties.Source.BuildSpec"

// inline turns a buildspec check into a template check that runs it on
// the inline buildspec of each project. The buildspec is parsed again for
// each rule: projects are few and buildspecs small, and it keeps the
// engine free of any knowledge of CodeBuild.
func inline(check func(*scan.BuildspecPass)) func(*scan.Pass) {
	return func(p *scan.Pass) {
		for _, r := range p.Resources() {
			if in := readInline(p, r); in.spec != nil {
				check(scan.InlineBuildspecPass(p, in.spec, r, buildSpecPath))
			}
		}
	}
}

// JudgesPrivilege reports whether a project's buildspec is written inline
// and readable, so that BUILDSPEC-004 decides whether its privileged mode
// is needed; the general privileged-mode rule (CODEBUILD-002) leaves such
// projects to it.
func JudgesPrivilege(p *scan.Pass, r *cfn.Resource) bool {
	return readInline(p, r).spec != nil
}

// inlineSpec is what a project's Source.BuildSpec holds.
type inlineSpec struct {
	spec *bs.Spec
	// err is set when the text is a buildspec CodeBuild cannot read.
	err error
	// at is the BuildSpec value.
	at *cfn.Node
}

// readInline parses the buildspec a project writes in Source.BuildSpec:
// a string, the literal body of Fn::Sub, or any value the evaluator can
// work out in full (an Fn::Join of literal lines). Nothing is returned
// when there is no BuildSpec, when it names a file (buildspec-release.yml,
// an S3 ARN) and when its value depends on parameters.
func readInline(p *scan.Pass, r *cfn.Resource) inlineSpec {
	pair := r.Properties.Get("Source").Pair("BuildSpec")
	if pair == nil || pair.Value == nil {
		return inlineSpec{}
	}
	n := pair.Value
	if name, arg, ok := n.Intrinsic(); ok {
		switch {
		case name == "Fn::Sub" && arg != nil && arg.Kind == cfn.Seq && len(arg.Items) > 0:
			n = arg.Items[0]
		case name == "Fn::Sub":
			n = arg
		case p.Eval != nil:
			vals := p.Eval.Values(n)
			if len(vals) != 1 {
				return inlineSpec{}
			}
			s, ok := vals[0].String()
			if !ok {
				return inlineSpec{}
			}
			// Built by a function: there are no lines to map, so every
			// finding points at the BuildSpec value.
			n = &cfn.Node{Kind: cfn.String, Value: s, Start: pair.Value.Start, End: pair.Value.Start}
		}
	}
	if n == nil || n.Kind != cfn.String {
		return inlineSpec{}
	}
	trimmed := strings.TrimSpace(n.Value)
	if !strings.Contains(trimmed, "\n") && !strings.HasPrefix(trimmed, "{") {
		return inlineSpec{}
	}
	spec, err := bs.ParseEmbedded(p.Template.File, n.Value, placer(n, pair))
	return inlineSpec{spec: spec, err: err, at: pair.Value}
}

// placer maps positions inside the buildspec text n to the template. The
// loader keeps no end for a block scalar, so a multi-line string without
// an end is a literal block (|) whose lines follow its indicator one for
// one; a folded block would not read as a buildspec at all. Its
// indentation is not kept either: the conventional two spaces past the
// BuildSpec key are assumed for columns. Any other string (quoted, or a
// JSON template's) puts every position at the value itself.
func placer(n *cfn.Node, key *cfn.Pair) bs.Place {
	if n.End.IsZero() && strings.Contains(n.Value, "\n") && !n.Start.IsZero() {
		line, indent := n.Start.Line, key.KeyStart.Col+2
		return func(p cfn.Pos) cfn.Pos {
			return cfn.Pos{Line: line + p.Line, Col: indent + p.Col - 1}
		}
	}
	at := n.Start
	if at.IsZero() {
		at = key.KeyStart
	}
	return func(cfn.Pos) cfn.Pos { return at }
}
