package iam

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/policy"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// escalationActions are IAM actions that let their holder raise its own
// permissions when allowed on every resource.
var escalationActions = []string{
	"iam:AddUserToGroup",
	"iam:AttachGroupPolicy",
	"iam:AttachRolePolicy",
	"iam:AttachUserPolicy",
	"iam:CreateAccessKey",
	"iam:CreateLoginProfile",
	"iam:CreatePolicyVersion",
	"iam:PutGroupPolicy",
	"iam:PutRolePolicy",
	"iam:PutUserPolicy",
	"iam:SetDefaultPolicyVersion",
	"iam:UpdateAssumeRolePolicy",
	"iam:UpdateLoginProfile",
}

// PrivilegeEscalation reports policies that allow IAM actions which grant
// permissions, on every resource.
var PrivilegeEscalation = &scan.Rule{
	ID:        "IAM-023",
	Title:     "IAM policy allows permission-granting IAM actions on every resource",
	Severity:  scan.Failure,
	Resources: identityTypes,
	Doc: `Some IAM actions change permissions: attaching or writing a policy
(iam:AttachRolePolicy, iam:PutUserPolicy, iam:CreatePolicyVersion,
iam:SetDefaultPolicyVersion), rewriting a trust policy
(iam:UpdateAssumeRolePolicy), joining a group, or creating credentials for
another user (iam:CreateAccessKey, iam:CreateLoginProfile,
iam:UpdateLoginProfile). Allowed on Resource "*", any one of them lets the
holder give itself, or take over, administrator access. Patterns that match
one of them (such as "iam:Put*") count; "*" and "iam:*" are left to IAM-001.
Scope them to the ARNs of the roles, users or policies the workload
manages, or guard them with a permissions boundary condition.

Bad:

~~~yaml
Provisioner:
  Type: AWS::IAM::ManagedPolicy
  Properties:
    PolicyDocument:
      Statement:
        - Effect: Allow
          Action: [iam:CreateRole, iam:AttachRolePolicy]
          Resource: "*"
~~~

Good:

~~~yaml
Provisioner:
  Type: AWS::IAM::ManagedPolicy
  Properties:
    PolicyDocument:
      Statement:
        - Effect: Allow
          Action: [iam:CreateRole, iam:AttachRolePolicy]
          Resource: !Sub arn:aws:iam::${AWS::AccountId}:role/app-*
          Condition:
            StringEquals:
              iam:PermissionsBoundary: !Ref Boundary
~~~
`,
	Fix: "Scope the action to the ARNs it manages, or require iam:PermissionsBoundary.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, st := range policy.ResourceStatements(p.Eval, r, policy.Inline) {
				if !st.Allows() || !anyString(st.Strings("Resource"), func(s string) bool { return s == "*" }) {
					continue
				}
				if _, ok := policy.IAMConditionKeys(p.Eval, st)["iam:permissionsboundary"]; ok {
					continue
				}
				for _, v := range st.Strings("Action") {
					s, ok := v.Str()
					if !ok || policy.WildcardAction(s) {
						continue
					}
					for _, a := range escalationActions {
						if policy.ActionMatches(s, a) {
							rep.Report(r, v, "policy allows %s on Resource \"*\", which lets the holder raise its own permissions", a)
							break
						}
					}
				}
			}
		}
	},
}
