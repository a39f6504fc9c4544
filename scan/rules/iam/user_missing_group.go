package iam

import (
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// UserMissingGroup reports users that belong to no group.
var UserMissingGroup = &scan.Rule{
	ID:        "IAM-015",
	Aliases:   []string{"F2000"},
	Title:     "IAM user belongs to no group",
	Severity:  scan.Failure,
	Resources: []string{"AWS::IAM::User", "AWS::IAM::UserToGroupAddition"},
	Doc: `Permissions granted through groups are reviewed and revoked in one
place; a user in no group gets its permissions some other way (inline or
attached policies) or none, and is easily forgotten. A user counts as in a
group when its Groups list may be non-empty or when an
AWS::IAM::UserToGroupAddition in the template lists it (by Ref or by its
UserName).

Bad:

~~~yaml
Alice:
  Type: AWS::IAM::User
  Properties:
    UserName: alice
~~~

Good:

~~~yaml
Alice:
  Type: AWS::IAM::User
  Properties:
    UserName: alice
    Groups: [!Ref Developers]
~~~
`,
	Fix: "Add the user to a group (Groups, or an AWS::IAM::UserToGroupAddition).",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		added := map[string]bool{}
		var users []*cfn.Resource
		for _, r := range p.Resources() {
			if r.Type == "AWS::IAM::User" {
				users = append(users, r)
				continue
			}
			for _, v := range prop.Items(p.Eval, prop.Get(p.Eval, r, "Users")) {
				if s, ok := v.Str(); ok {
					added["name:"+s] = true
				} else if ref, ok := strings.CutPrefix(v.Text, "Ref "); ok && v.Origin == cfn.Unknown {
					added["id:"+ref] = true
				}
			}
		}
		for _, r := range users {
			if added["id:"+r.ID] || addedByName(p, r, added) {
				continue
			}
			for _, v := range prop.Get(p.Eval, r, "Groups") {
				if len(prop.Items(p.Eval, []prop.Val{v})) == 0 {
					rep.Report(r, v, "user %s belongs to no group", r.ID)
				}
			}
		}
	},
}

// addedByName reports whether a UserToGroupAddition lists the user by a
// possible value of its UserName.
func addedByName(p *scan.Pass, r *cfn.Resource, added map[string]bool) bool {
	for _, n := range prop.Get(p.Eval, r, "UserName") {
		if s, ok := n.Str(); ok && added["name:"+s] {
			return true
		}
	}
	return false
}
