// Package cloudformation holds rules about templates and stacks as a whole
// rather than about one resource type.
package cloudformation

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
)

// DuplicateExport reports export names used by more than one output among
// the templates scanned together.
var DuplicateExport = &scan.Rule{
	ID:       "CFN-001",
	Title:    "Export name is used by more than one template",
	Severity: scan.Failure,
	Doc: `Export names are unique per account and region: when two stacks
export the same name, the second one fails to deploy (or, worse, a stack
that imports the value silently depends on whichever stack got there
first). The rule compares the export names of all templates scanned
together, as far as they are known before deploy: literal names, parameter
defaults and supplied values, and names built with Fn::Sub or Fn::Join from
known text. ${AWS::Region}, ${AWS::AccountId} and ${AWS::Partition} are the
same for every stack of one account and region, so they compare equal;
${AWS::StackName} differs between stacks and is only resolved when the
stack map gives the template's stack name. Each stack of the stack map
counts: a template deployed as two stacks (web-blue and web-green) with a
fixed export name collides with itself, and the finding names the other
stack. There is no cfn_nag equivalent: cfn_nag looks at one template at a
time.

Bad: two templates export the same name.

~~~yaml
# network.yaml
Outputs:
  VpcId:
    Value: !Ref Vpc
    Export:
      Name: !Sub "${AWS::Region}-VpcId"
# legacy-network.yaml
Outputs:
  VpcId:
    Value: !Ref OldVpc
    Export:
      Name: !Sub "${AWS::Region}-VpcId"
~~~

Good:

~~~yaml
Outputs:
  VpcId:
    Value: !Ref Vpc
    Export:
      Name: !Sub "${AWS::StackName}-VpcId"
~~~
`,
	Fix:      "Prefix export names with ${AWS::StackName} or another name unique to the stack.",
	CheckSet: checkDuplicateExports,
}

// export is one possible export name of one output.
type export struct {
	unit *scan.Unit
	out  *cfn.Output
	name string
	v    cfn.Value
}

func (x export) at() *cfn.Node {
	if x.v.Site != nil && !x.v.Site.Start.IsZero() {
		return x.v.Site
	}
	return x.out.ExportName
}

func (x export) where() string {
	w := fmt.Sprintf("%s:%d", x.unit.Template.File, x.at().Start.Line)
	if x.unit.Stack != "" {
		w += " (stack " + x.unit.Stack + ")"
	}
	return w
}

// exportKey identifies one finding: an output's export name in one
// template, however many stacks deploy it.
type exportKey struct {
	tmpl *cfn.Template
	out  *cfn.Output
	name string
}

func checkDuplicateExports(p *scan.SetPass) {
	byName := map[string][]export{}
	var names []string
	for _, u := range p.Units {
		for _, o := range u.Template.Outputs {
			if o.ExportName == nil || !deployed(u, o) {
				continue
			}
			seen := map[string]bool{}
			for _, v := range u.Eval.Values(o.ExportName) {
				name, ok := exportName(u, v)
				if !ok || seen[name] {
					continue
				}
				seen[name] = true
				if byName[name] == nil {
					names = append(names, name)
				}
				byName[name] = append(byName[name], export{unit: u, out: o, name: name, v: v})
			}
		}
	}
	reported := map[exportKey]bool{}
	for _, name := range names {
		list := byName[name]
		for i, x := range list {
			k := exportKey{x.unit.Template, x.out, name}
			if reported[k] {
				continue
			}
			var others []string
			seen := map[string]bool{}
			for j, y := range list {
				if i != j && clash(x, y) && !seen[y.where()] {
					seen[y.where()] = true
					others = append(others, y.where())
				}
			}
			if len(others) == 0 {
				continue
			}
			reported[k] = true
			msg := fmt.Sprintf("export name %q is also exported by %s", name, strings.Join(others, ", "))
			if d := x.v.Describe(); d != "" {
				msg += " (" + d + ")"
			}
			p.Report(x.unit.Template, scan.Diagnostic{
				At:      x.at(),
				Path:    "Outputs." + x.out.Name + ".Export.Name",
				Message: msg,
			})
		}
	}
}

// clash reports whether two exports of the same name can deploy together.
// In different stacks (different templates, or one template deployed
// twice) they always can. In one template, two outputs
// guarded by different conditions, or values on contradictory branches,
// may be alternatives.
func clash(x, y export) bool {
	if x.unit != y.unit {
		// Different stacks, even of the same template.
		return true
	}
	if x.out == y.out || x.out.Condition != y.out.Condition {
		return false
	}
	for _, c := range x.v.Conds {
		if slices.Contains(y.v.Conds, negate(c)) {
			return false
		}
	}
	return true
}

func negate(c string) string {
	if s, ok := strings.CutPrefix(c, "!"); ok {
		return s
	}
	return "!" + c
}

// placeholder matches a ${...} fragment in the rendering of a string that
// is not fully known.
var placeholder = regexp.MustCompile(`\$\{([^}]*)\}`)

// accountWide are the pseudo parameters that are the same for every stack
// that could collide, since exports are per account and region.
var accountWide = map[string]bool{
	"AWS::Region": true, "AWS::AccountId": true, "AWS::Partition": true, "AWS::URLSuffix": true,
}

// exportName returns the name an export value compares by, and whether it
// is known well enough to compare.
func exportName(u *scan.Unit, v cfn.Value) (string, bool) {
	if s, ok := v.String(); ok {
		return s, true
	}
	if v.Absent || v.Origin != cfn.Unknown {
		return "", false
	}
	// Only strings built by Fn::Sub or Fn::Join render as text with ${...}
	// placeholders; other unknowns (Ref, GetAtt) render as a description.
	if name, _, ok := v.Site.Intrinsic(); !ok || (name != "Fn::Sub" && name != "Fn::Join") {
		return "", false
	}
	known := true
	out := placeholder.ReplaceAllStringFunc(v.Text, func(m string) string {
		ref := m[2 : len(m)-1]
		switch {
		case accountWide[ref]:
			return m
		case ref == "AWS::StackName" && u.Stack != "":
			return u.Stack
		}
		known = false
		return m
	})
	return out, known
}
