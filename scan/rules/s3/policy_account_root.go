package s3

import (
	"regexp"
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/policy"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// PolicyAccountRoot reports bucket policies that grant a whole AWS account
// rather than named roles in it.
var PolicyAccountRoot = &scan.Rule{
	ID:        "S3-010",
	Title:     "S3 bucket policy grants a whole AWS account instead of named roles",
	Severity:  scan.Warning,
	Resources: []string{"AWS::S3::BucketPolicy"},
	Doc: `A principal written as an account ID ("111122223333") or its root
ARN ("arn:aws:iam::111122223333:root") delegates access to that entire
account: any user or role there whose own policies allow the S3 actions can
use the bucket. For artifact buckets shared with deploy roles in other
accounts, that means anyone in the deploy account who can write S3 can
tamper with what the pipeline deploys. Name the roles
("arn:aws:iam::111122223333:role/Deployer") instead. Grants to the
template's own account (${AWS::AccountId}) are not reported: they delegate
to IAM in the same account, which is the usual pattern. Neither are the
accounts AWS documents for Elastic Load Balancing access log delivery
(127311923021 in us-east-1, and one per region), which must be granted by
account.

Bad:

~~~yaml
Policy:
  Type: AWS::S3::BucketPolicy
  Properties:
    Bucket: !Ref Artifacts
    PolicyDocument:
      Statement:
        - Effect: Allow
          Principal:
            AWS: !Sub arn:aws:iam::${ProdAccountId}:root
          Action: [s3:GetObject]
          Resource: !Sub "${Artifacts.Arn}/*"
~~~

Good:

~~~yaml
Policy:
  Type: AWS::S3::BucketPolicy
  Properties:
    Bucket: !Ref Artifacts
    PolicyDocument:
      Statement:
        - Effect: Allow
          Principal:
            AWS: !Sub arn:aws:iam::${ProdAccountId}:role/CodePipelineDeployer
          Action: [s3:GetObject]
          Resource: !Sub "${Artifacts.Arn}/*"
~~~
`,
	Fix: "Name the roles of the other account (arn:aws:iam::ACCOUNT:role/NAME) instead of its root or account ID.",
	Check: allowStatements(func(p *scan.Pass, rep *prop.Reporter, r *cfn.Resource, st policy.Statement) {
		for _, pv := range st.Field("Principal") {
			for _, v := range prop.Items(p.Eval, prop.Field(p.Eval, []prop.Val{pv}, "AWS")) {
				if acct := wholeAccount(v); acct != "" {
					rep.Report(r, v, "bucket policy grants all of account %s instead of named roles", acct)
				}
			}
		}
	}),
}

var (
	accountID   = regexp.MustCompile(`^\d{12}$`)
	accountRoot = regexp.MustCompile(`^arn:[a-z-]+:iam::([^:]+):root$`)
)

// wholeAccount returns the account a principal value names as a whole, or
// "" when it names something narrower or the template's own account.
func wholeAccount(v prop.Val) string {
	s, ok := v.Str()
	if !ok {
		if v.Absent || v.Origin != cfn.Unknown {
			return ""
		}
		s = v.Text
		s = strings.TrimPrefix(s, "Fn::Sub ")
	}
	acct := ""
	if accountID.MatchString(s) {
		acct = s
	} else if m := accountRoot.FindStringSubmatch(s); m != nil && m[1] != "${AWS::AccountId}" {
		acct = m[1]
	}
	if elbLogDelivery[acct] {
		return ""
	}
	return acct
}

// elbLogDelivery holds the accounts Elastic Load Balancing delivers access
// logs from, one per region, which AWS documents granting by account root.
var elbLogDelivery = map[string]bool{
	"127311923021": true, "033677994240": true, "027434742980": true, "797873946194": true,
	"098369216593": true, "754344448648": true, "589379963580": true, "718504428378": true,
	"383597477331": true, "600734575887": true, "114774131450": true, "783225319266": true,
	"582318560864": true, "985666609251": true, "054676820928": true, "156460612806": true,
	"652711504416": true, "635631232127": true, "009996457667": true, "897822967062": true,
	"076674570225": true, "507241528517": true, "048591011584": true, "190560391635": true,
	"638102146993": true, "037604701340": true,
}
