package check

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/policy"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// MsgSenders says which resources of a template send to a queue or topic
// through an AWS service or from another account, and so need a key whose
// policy lets them in.
type MsgSenders struct {
	// Types maps a sending resource type to what it is in messages, such as
	// "AWS::Events::Rule": "EventBridge rule". A resource of such a type
	// that refers to the queue or topic anywhere in its properties sends
	// to it.
	Types map[string]string
	// Policy is the resource policy type ("AWS::SQS::QueuePolicy") and
	// Targets its list of queues or topics ("Queues"); a policy that allows
	// a service principal, "*" or an account ID sends to each target.
	Policy, Targets string
	// PolicyName names the policy in messages ("queue policy").
	PolicyName string
}

// MsgAWSManagedKey returns a check reporting resources whose KMS key
// property at path names the AWS managed key of service ("sqs" for
// alias/aws/sqs), by alias or alias ARN (even built with Fn::Sub), when
// the template shows a sender that cannot use that key. what starts the
// message ("SQS queue").
func MsgAWSManagedKey(service, what string, senders MsgSenders, path ...string) func(*scan.Pass) {
	alias := "alias/aws/" + service
	return func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		var index map[string][]string // built on first need, once per pass
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, path...) {
				s, ok := v.Str()
				if !ok && !v.Absent && v.Origin == cfn.Unknown {
					s = v.Text
				}
				if s != alias && !strings.HasSuffix(s, ":"+alias) {
					continue
				}
				if index == nil {
					index = msgSenderIndex(p, senders)
				}
				who := index[r.ID]
				if len(who) == 0 {
					continue
				}
				list := strings.Join(who, ", ")
				if len(who) > 3 {
					list = fmt.Sprintf("%s and %d more", strings.Join(who[:3], ", "), len(who)-3)
				}
				rep.Report(r, v, "%s %s is encrypted with the AWS managed key %s, whose key policy cannot let %s use it: their messages are lost", what, r.ID, alias, list)
			}
		}
	}
}

// accountID matches an AWS account ID inside a principal.
var accountID = regexp.MustCompile(`(^|[^0-9])[0-9]{12}([^0-9]|$)`)

// msgSenderIndex maps each logical ID to the senders that refer to it.
func msgSenderIndex(p *scan.Pass, s MsgSenders) map[string][]string {
	index := map[string][]string{}
	add := func(n *cfn.Node, who string) {
		seen := map[string]bool{}
		msgRefs(n, func(id string) {
			if !seen[id] {
				seen[id] = true
				index[id] = append(index[id], who)
			}
		})
	}
	for _, r := range p.Template.Resources {
		if what, ok := s.Types[r.Type]; ok {
			add(r.Properties, what+" "+r.ID)
			continue
		}
		if r.Type != s.Policy {
			continue
		}
		var grantees []string
		for _, st := range policy.Statements(p.Eval, prop.Get(p.Eval, r, "PolicyDocument")) {
			if !st.Allows() {
				continue
			}
			for _, v := range st.Field("Principal") {
				if str, ok := v.Str(); ok && str == "*" {
					grantees = append(grantees, "*")
				}
				if v.Node == nil || v.Node.Kind != cfn.Map || !v.Known() {
					continue
				}
				for _, svc := range prop.Items(p.Eval, prop.Field(p.Eval, []prop.Val{v}, "Service")) {
					if str, ok := svc.Str(); ok {
						grantees = append(grantees, str)
					}
				}
				for _, acct := range prop.Items(p.Eval, prop.Field(p.Eval, []prop.Val{v}, "AWS")) {
					if str, ok := acct.Str(); ok && (str == "*" || accountID.MatchString(str)) {
						grantees = append(grantees, str)
					}
				}
			}
		}
		if len(grantees) == 0 {
			continue
		}
		sort.Strings(grantees)
		grantees = compactStrings(grantees)
		add(r.Properties.Get(s.Targets), fmt.Sprintf("%s %s (%s)", s.PolicyName, r.ID, strings.Join(grantees, ", ")))
	}
	return index
}

func compactStrings(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// subRef matches a ${Name} or ${Name.Attr} reference in an Fn::Sub string.
var subRef = regexp.MustCompile(`\$\{([A-Za-z0-9]+)(\.[A-Za-z0-9.]+)?\}`)

// msgRefs calls f with the logical ID of each Ref, Fn::GetAtt and Fn::Sub
// reference in n.
func msgRefs(n *cfn.Node, f func(id string)) {
	if n == nil {
		return
	}
	if name, arg, ok := n.Intrinsic(); ok {
		switch name {
		case "Ref":
			if s, ok := arg.Text(); ok {
				f(s)
			}
			return
		case "Fn::GetAtt":
			if s, ok := arg.Text(); ok {
				id, _, _ := strings.Cut(s, ".")
				f(id)
			} else if arg != nil && arg.Kind == cfn.Seq && len(arg.Items) > 0 {
				if s, ok := arg.Items[0].Text(); ok {
					f(s)
				}
			}
			return
		case "Fn::Sub":
			tmpl := arg
			if arg != nil && arg.Kind == cfn.Seq && len(arg.Items) > 0 {
				tmpl = arg.Items[0]
				for _, it := range arg.Items[1:] {
					msgRefs(it, f)
				}
			}
			if s, ok := tmpl.Text(); ok {
				for _, m := range subRef.FindAllStringSubmatch(s, -1) {
					f(m[1])
				}
			}
			return
		}
	}
	for _, it := range n.Items {
		msgRefs(it, f)
	}
	for _, pr := range n.Pairs {
		msgRefs(pr.Value, f)
	}
}
