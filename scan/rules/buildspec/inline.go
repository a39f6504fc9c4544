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
			if spec := inlineSpec(p.Template.File, r); spec != nil {
				check(scan.InlineBuildspecPass(p, spec, r, buildSpecPath))
			}
		}
	}
}

// inlineSpec parses the buildspec a project writes in Source.BuildSpec,
// either as a string or as the literal body of Fn::Sub. It returns nil
// when there is none, when BuildSpec names a file, and when the text cannot
// be read: CodeBuild reports that itself when the build starts, and any
// position we gave would be a guess.
func inlineSpec(file string, r *cfn.Resource) *bs.Spec {
	pair := r.Properties.Get("Source").Pair("BuildSpec")
	if pair == nil {
		return nil
	}
	n := pair.Value
	if name, arg, ok := n.Intrinsic(); ok {
		if name != "Fn::Sub" {
			return nil
		}
		if arg != nil && arg.Kind == cfn.Seq && len(arg.Items) > 0 {
			arg = arg.Items[0]
		}
		n = arg
	}
	if n == nil || n.Kind != cfn.String {
		return nil
	}
	text := n.Value
	trimmed := strings.TrimSpace(text)
	if !strings.Contains(trimmed, "\n") && !strings.HasPrefix(trimmed, "{") {
		return nil // a path such as buildspec-release.yml, or an S3 ARN
	}
	spec, err := bs.ParseEmbedded(file, text, placer(n, pair))
	if err != nil {
		return nil
	}
	return spec
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
