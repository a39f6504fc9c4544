package cloudformation

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
)

// UnknownImport reports Fn::ImportValue of names no template of the set
// exports.
var UnknownImport = &scan.Rule{
	ID:       "CFN-005",
	Title:    "Fn::ImportValue names an export no scanned template declares",
	Severity: scan.Info,
	Doc: `A stack that imports an export nobody has created fails to deploy
("No export named ... found"), and the usual cause is a typo or a naming
convention that drifted: the producer exports ${AWS::StackName}-VpcId while
the consumer imports network-vpc-id. When the producing template is part of
the scan, the rule compares each imported name with the names the scanned
templates export, as far as both are known before deploy: literals,
parameter defaults and supplied values, and names built with Fn::Sub or
Fn::Join (AWS::Region and AWS::AccountId compare as themselves, and
AWS::StackName resolves to the stack name the stack map gives, or matches
anything when it gives none). An export whose name comes from a parameter
without a value matches any name. The export may come from a stack outside
the scan, hence the info severity. Imported names that are not known before
deploy are not checked. There is no cfn_nag equivalent.

Bad: the consumer imports a name the producer does not export.

~~~yaml
# network.yaml
Outputs:
  VpcId:
    Value: !Ref Vpc
    Export:
      Name: !Sub "${AWS::StackName}-VpcId"
# app.yaml, with the stack map network=network.yaml
Resources:
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: app
      VpcId: !ImportValue network-vpc-id
~~~

Good:

~~~yaml
      VpcId: !ImportValue network-VpcId
~~~
`,
	Fix:      "Import the exact name the producing stack exports (check the stack name and the spelling).",
	CheckSet: checkUnknownImports,
}

// exportIndex holds the export names of a set: exact names, and patterns
// for names with parts not known before deploy, indexed by their literal
// tail so that a lookup does not scan every pattern.
type exportIndex struct {
	exact    map[string]bool
	patterns map[string][]*regexp.Regexp // by the literal text after the last wildcard
	seen     map[string]bool
	any      bool // some export name may be anything
}

func newExportIndex() *exportIndex {
	return &exportIndex{exact: map[string]bool{}, patterns: map[string][]*regexp.Regexp{}, seen: map[string]bool{}}
}

// add records one possible value of an export name of unit u.
func (x *exportIndex) add(u *scan.Unit, v cfn.Value) {
	if s, ok := v.String(); ok {
		x.exact[s] = true
		return
	}
	if v.Absent || v.Origin != cfn.Unknown {
		return
	}
	name, arg, ok := v.Site.Intrinsic()
	switch {
	case ok && name == "Ref":
		// A parameter without a value: the deployer may choose any name.
		if s, isText := arg.Text(); isText && u.Template.Parameter(s) != nil {
			x.any = true
		}
		return
	case !ok || (name != "Fn::Sub" && name != "Fn::Join"):
		// A resource's physical ID or attribute: nobody can import it by a
		// name written before deploy.
		return
	}
	// Account-wide placeholders stay as written (imports render them the
	// same way); AWS::StackName becomes the stack name when the stack map
	// gives it; anything else may be any text.
	var re strings.Builder
	re.WriteString("^")
	lit, wild, last := "", false, 0
	for _, m := range placeholder.FindAllStringSubmatchIndex(v.Text, -1) {
		ref := v.Text[m[2]:m[3]]
		seg := v.Text[last:m[0]]
		last = m[1]
		switch {
		case accountWide[ref]:
			lit += seg + v.Text[m[0]:m[1]]
		case ref == "AWS::StackName" && u.Stack != "":
			lit += seg + u.Stack
		default:
			re.WriteString(regexp.QuoteMeta(lit + seg))
			re.WriteString(".*")
			lit, wild = "", true
		}
	}
	lit += v.Text[last:]
	if !wild {
		x.exact[lit] = true
		return
	}
	re.WriteString(regexp.QuoteMeta(lit))
	re.WriteString("$")
	if x.seen[re.String()] {
		return
	}
	x.seen[re.String()] = true
	x.patterns[lit] = append(x.patterns[lit], regexp.MustCompile(re.String()))
}

// has reports whether some export may be named name.
func (x *exportIndex) has(name string) bool {
	if x.any || x.exact[name] {
		return true
	}
	for i := 0; i <= len(name); i++ {
		for _, re := range x.patterns[name[i:]] {
			if re.MatchString(name) {
				return true
			}
		}
	}
	return false
}

func checkUnknownImports(p *scan.SetPass) {
	idx := newExportIndex()
	for _, u := range p.Units {
		for _, o := range u.Template.Outputs {
			if o.ExportName == nil || !deployed(u, o) {
				continue
			}
			for _, v := range u.Eval.Values(o.ExportName) {
				idx.add(u, v)
			}
		}
	}
	for _, u := range templates(p.Units) {
		report := func(r *cfn.Resource, fn *cfn.Node, path string) {
			_, arg, _ := fn.Intrinsic()
			seen := map[string]bool{}
			for _, v := range u.Eval.Values(arg) {
				name, ok := exportName(u, v)
				if !ok || seen[name] || idx.has(name) {
					continue
				}
				seen[name] = true
				at := v.Site
				if at == nil || at.Start.IsZero() {
					at = arg
				}
				msg := fmt.Sprintf("imported name %q is not exported by any template scanned together (it may come from a stack outside this scan)", name)
				if d := v.Describe(); d != "" {
					msg += " (" + d + ")"
				}
				p.Report(u.Template, scan.Diagnostic{Resource: r, At: at, Path: path, Message: msg})
			}
		}
		for _, r := range u.Template.Resources {
			if r.Condition != "" {
				if v, decided := u.Eval.Condition(r.Condition); decided && !v {
					continue
				}
			}
			walkImports(r.Properties, "Properties", func(fn *cfn.Node, path string) { report(r, fn, path) })
		}
		for _, o := range u.Template.Outputs {
			if deployed(u, o) {
				walkImports(o.Value, "Outputs."+o.Name+".Value", func(fn *cfn.Node, path string) { report(nil, fn, path) })
			}
		}
	}
}

// walkImports calls fn for each Fn::ImportValue under n with its path.
func walkImports(n *cfn.Node, path string, fn func(*cfn.Node, string)) {
	walkImportsIn(n, []importSeg{{key: path, index: -1}}, fn)
}

// importSeg is one step of a path: a key, or a list index. The path is
// joined only for a hit: most nodes hold no import, and building a string
// for each was most of this rule's cost on large templates.
type importSeg struct {
	key   string
	index int
}

func walkImportsIn(n *cfn.Node, segs []importSeg, fn func(*cfn.Node, string)) {
	if n == nil {
		return
	}
	if name, _, ok := n.Intrinsic(); ok && name == "Fn::ImportValue" {
		var b strings.Builder
		for i, s := range segs {
			switch {
			case s.index >= 0 && i > 0:
				b.WriteString("[" + strconv.Itoa(s.index) + "]")
			case i > 0:
				b.WriteString("." + s.key)
			default:
				b.WriteString(s.key)
			}
		}
		fn(n, b.String())
		return
	}
	switch n.Kind {
	case cfn.Map:
		for _, p := range n.Pairs {
			walkImportsIn(p.Value, append(segs, importSeg{key: p.Key, index: -1}), fn)
		}
	case cfn.Seq:
		for i, item := range n.Items {
			if item.Kind == cfn.Map || item.Kind == cfn.Seq {
				walkImportsIn(item, append(segs, importSeg{index: i}), fn)
			}
		}
	}
}
