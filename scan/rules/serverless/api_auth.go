package serverless

import (
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// APIRouteNoAuthorizer reports API events of SAM functions that no
// authorizer protects.
var APIRouteNoAuthorizer = &scan.Rule{
	ID:        "SAM-003",
	Title:     "AWS SAM API route has no authorizer",
	Severity:  scan.Warning,
	Resources: []string{"AWS::Serverless::Function"},
	Doc: `An Api or HttpApi event of an AWS::Serverless::Function creates a
route; without an authorizer anyone on the internet can call it. A route
is protected when its event sets Auth.Authorizer (other than NONE), or when
the API it belongs to sets Auth.DefaultAuthorizer: the AWS::Serverless::Api
or HttpApi named by RestApiId or ApiId, or, for the implicit API SAM
creates, Globals.Api or Globals.HttpApi. AWS_IAM counts as an authorizer.
OPTIONS routes (CORS preflight) are not reported, nor routes of an API
whose DefinitionBody or DefinitionUri may declare its own security, or
that is PRIVATE or has an Auth.ResourcePolicy limiting who reaches it. This is
the SAM counterpart of cfn_nag's W59 on AWS::ApiGateway::Method, which
cfn_nag cannot apply before the transform; the finding is the function's,
at the event's line, and can be suppressed there.

Bad:

~~~yaml
GetOrder:
  Type: AWS::Serverless::Function
  Properties:
    Events:
      Get:
        Type: Api
        Properties:
          Path: /orders/{id}
          Method: get
~~~

Good:

~~~yaml
GetOrder:
  Type: AWS::Serverless::Function
  Properties:
    Events:
      Get:
        Type: Api
        Properties:
          Path: /orders/{id}
          Method: get
          RestApiId: !Ref Api
          Auth:
            Authorizer: TokenAuthorizer
~~~
`,
	Fix: "Set Auth.DefaultAuthorizer on the API, or Auth.Authorizer on the event.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			events := prop.Get(p.Eval, r, "Events")
			for _, ev := range events {
				if !ev.Known() || ev.Node.Kind != cfn.Map {
					continue
				}
				for _, pair := range ev.Node.Pairs {
					for _, e := range prop.Field(p.Eval, []prop.Val{ev}, pair.Key) {
						checkEvent(p, rep, r, pair.Key, e)
					}
				}
			}
		}
	},
}

// checkEvent reports one event of function r if it is an API route that
// nothing authorizes.
func checkEvent(p *scan.Pass, rep *prop.Reporter, r *cfn.Resource, name string, e prop.Val) {
	var typ string
	for _, t := range prop.Field(p.Eval, []prop.Val{e}, "Type") {
		if s, ok := t.Str(); ok {
			typ = s
		}
	}
	apiKey, apiType := "RestApiId", "AWS::Serverless::Api"
	switch typ {
	case "Api":
	case "HttpApi":
		apiKey, apiType = "ApiId", "AWS::Serverless::HttpApi"
	default:
		return
	}
	props := prop.Field(p.Eval, []prop.Val{e}, "Properties")
	for _, m := range prop.Field(p.Eval, props, "Method") {
		if s, ok := m.Str(); ok && strings.EqualFold(s, "options") {
			return
		}
	}
	for _, auth := range prop.Field(p.Eval, prop.Field(p.Eval, props, "Auth"), "Authorizer") {
		if !auth.Absent {
			if s, ok := auth.Str(); ok && s == "NONE" {
				rep.Report(r, auth, "API event %s turns its authorizer off (Authorizer NONE): anyone can call the route", name)
			}
			return
		}
	}
	// No authorizer on the event: look at the API's default.
	for _, ref := range prop.Field(p.Eval, props, apiKey) {
		if ref.Absent {
			if !defaultAuthorizer(p, nil, apiType) {
				rep.Report(r, e, "API event %s has no authorizer: the event sets no Auth.Authorizer and the implicit %s API has no Auth.DefaultAuthorizer in Globals", name, typ)
			}
			continue
		}
		id := ""
		if ref.Site != nil {
			if fn, arg, ok := ref.Site.Intrinsic(); ok && fn == "Ref" {
				id, _ = arg.Text()
			}
		}
		api := p.Template.Resource(id)
		if api == nil || api.Type != apiType {
			continue // an API of another template, or a plain one: not known here
		}
		if !defaultAuthorizer(p, api, apiType) {
			rep.Report(r, e, "API event %s has no authorizer: the event sets no Auth.Authorizer and API %s has no Auth.DefaultAuthorizer", name, id)
		}
	}
}

// defaultAuthorizer reports whether an API (nil for the implicit one) may
// protect its routes: it has a DefaultAuthorizer, from itself or Globals,
// or a definition of its own that may declare security.
func defaultAuthorizer(p *scan.Pass, api *cfn.Resource, apiType string) bool {
	var vals []prop.Val
	if api != nil {
		for _, key := range []string{"DefinitionBody", "DefinitionUri"} {
			for _, v := range prop.Get(p.Eval, api, key) {
				if !v.Absent {
					return true
				}
			}
		}
		for _, v := range prop.ServerlessGet(p.Eval, p.Template, api, "Auth", "DefaultAuthorizer") {
			vals = append(vals, v.Val)
		}
	} else {
		vals = prop.ServerlessGlobal(p.Eval, p.Template, apiType, "Auth", "DefaultAuthorizer")
	}
	if restricted(p, api, apiType) {
		return true
	}
	for _, v := range vals {
		if v.Absent {
			continue
		}
		if s, ok := v.Str(); ok && s == "NONE" {
			continue
		}
		return true
	}
	return false
}

// restricted reports whether a REST API (nil for the implicit one) limits
// who reaches it without an authorizer: a private endpoint, or a resource
// policy (source VPC, IP ranges or accounts).
func restricted(p *scan.Pass, api *cfn.Resource, apiType string) bool {
	get := func(keys ...string) []prop.Val {
		if api == nil {
			return prop.ServerlessGlobal(p.Eval, p.Template, apiType, keys...)
		}
		var out []prop.Val
		for _, v := range prop.ServerlessGet(p.Eval, p.Template, api, keys...) {
			out = append(out, v.Val)
		}
		return out
	}
	for _, v := range get("Auth", "ResourcePolicy") {
		if !v.Absent {
			return true
		}
	}
	for _, v := range get("EndpointConfiguration") {
		if s, ok := v.Str(); ok && s == "PRIVATE" {
			return true
		}
		for _, t := range prop.Field(p.Eval, []prop.Val{v}, "Type") {
			if s, ok := t.Str(); ok && s == "PRIVATE" {
				return true
			}
		}
	}
	return false
}
