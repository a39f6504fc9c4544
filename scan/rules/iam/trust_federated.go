package iam

import (
	"regexp"
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/policy"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// TrustFederatedUnconditioned reports roles trusting an identity provider
// without saying which of its identities may assume them.
var TrustFederatedUnconditioned = &scan.Rule{
	ID:        "IAM-022",
	Title:     "IAM role trusts an identity provider without limiting its identities",
	Severity:  scan.Failure,
	Resources: []string{"AWS::IAM::Role"},
	Doc: `A role that trusts a federated identity provider is assumable by every
identity the provider vouches for unless the trust policy says which ones.
For GitHub Actions (token.actions.githubusercontent.com) that is every
workflow of every repository on GitHub: AWS and GitHub both require a
condition on token.actions.githubusercontent.com:sub naming your
repository (a value of "*" or "repo:*" does not count). A Cognito identity
pool role needs cognito-identity.amazonaws.com:aud; any other OIDC provider
(EKS service accounts, Google, ...) a condition on one of its own keys
(<provider>:sub or :aud); a SAML provider a SAML: condition such as
SAML:aud. The provider is read from the Federated ARN, or from the Url of
an AWS::IAM::OIDCProvider in the template that it refers to.

Bad:

~~~yaml
CiRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument:
      Statement:
        - Effect: Allow
          Principal:
            Federated: !Sub arn:aws:iam::${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com
          Action: sts:AssumeRoleWithWebIdentity
          Condition:
            StringEquals:
              token.actions.githubusercontent.com:aud: sts.amazonaws.com
~~~

Good:

~~~yaml
CiRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument:
      Statement:
        - Effect: Allow
          Principal:
            Federated: !Sub arn:aws:iam::${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com
          Action: sts:AssumeRoleWithWebIdentity
          Condition:
            StringEquals:
              token.actions.githubusercontent.com:aud: sts.amazonaws.com
            StringLike:
              token.actions.githubusercontent.com:sub: repo:my-org/my-repo:ref:refs/heads/main
~~~
`,
	Fix: "Add a condition naming the identities that may assume the role (for GitHub, token.actions.githubusercontent.com:sub).",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, st := range policy.ResourceStatements(p.Eval, r, trust) {
				if !st.Allows() {
					continue
				}
				keys := policy.IAMConditionKeys(p.Eval, st)
				for _, pr := range st.Field("Principal") {
					if pr.Absent || pr.Node == nil || pr.Node.Kind != cfn.Map || !pr.Known() {
						continue
					}
					for _, v := range prop.Items(p.Eval, prop.Field(p.Eval, []prop.Val{pr}, "Federated")) {
						if msg := federatedProblem(p.Eval, v, keys); msg != "" {
							rep.Report(r, v, "%s", msg)
						}
					}
				}
			}
		}
	},
}

const githubOIDC = "token.actions.githubusercontent.com"

var (
	oidcProviderARN = regexp.MustCompile(`:oidc-provider/(.+)$`)
	samlProviderARN = regexp.MustCompile(`:saml-provider/`)
	refOrArn        = regexp.MustCompile(`^(?:Ref ([A-Za-z0-9]+)|([A-Za-z0-9]+)\.Arn)$`)
)

// federatedProblem says what is missing for a Federated principal, or "".
func federatedProblem(e *cfn.Evaluator, v prop.Val, keys map[string][]prop.Val) string {
	s, ok := policy.IAMPrincipalText(v)
	if !ok {
		return ""
	}
	shown := s
	if v.Origin == cfn.Unknown {
		if m := refOrArn.FindStringSubmatch(v.Text); m != nil {
			id := m[1] + m[2]
			switch res := e.Template().Resource(id); {
			case res == nil:
			case res.Type == "AWS::IAM::SAMLProvider":
				s = ":saml-provider/" + id
			case res.Type == "AWS::IAM::OIDCProvider":
				url, _ := res.Properties.Get("Url").Text()
				if url == "" {
					return ""
				}
				s = ":oidc-provider/" + strings.TrimPrefix(url, "https://")
			}
		}
	}
	provider := ""
	switch {
	case s == "cognito-identity.amazonaws.com":
		provider = s
	case samlProviderARN.MatchString(s):
		for k := range keys {
			if strings.HasPrefix(k, "saml:") {
				return ""
			}
		}
		return "trust policy lets every identity of SAML provider " + shown + " assume the role: add a SAML:aud condition"
	default:
		m := oidcProviderARN.FindStringSubmatch(s)
		if m == nil {
			return ""
		}
		provider = strings.TrimSuffix(m[1], "/")
	}
	lp := strings.ToLower(provider)
	if lp == githubOIDC {
		subs, ok := keys[githubOIDC+":sub"]
		if !ok {
			return "trust policy lets every GitHub Actions workflow of every repository assume the role: add a " + githubOIDC + ":sub condition naming your repository"
		}
		for _, sv := range prop.Items(e, subs) {
			if str, ok := sv.Str(); ok && (str == "*" || strings.HasPrefix(str, "repo:*")) {
				return "trust policy's " + githubOIDC + ":sub condition " + `"` + str + `"` + " admits every repository on GitHub"
			}
		}
		return ""
	}
	if lp == "cognito-identity.amazonaws.com" {
		if _, ok := keys[lp+":aud"]; ok {
			return ""
		}
		return "trust policy lets identities of every Cognito identity pool assume the role: add a cognito-identity.amazonaws.com:aud condition"
	}
	for k := range keys {
		if strings.HasPrefix(k, lp+":") {
			return ""
		}
	}
	return "trust policy lets every identity of OIDC provider " + provider + " assume the role: add a condition on " + provider + ":sub or :aud"
}
