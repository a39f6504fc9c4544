package rules

import (
	"slices"
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/acm"
	"github.com/safetynet-dev/safetynet/scan/rules/alexa"
	"github.com/safetynet-dev/safetynet/scan/rules/amazonmq"
	"github.com/safetynet-dev/safetynet/scan/rules/amplify"
	"github.com/safetynet-dev/safetynet/scan/rules/apigateway"
	"github.com/safetynet-dev/safetynet/scan/rules/appstream"
	"github.com/safetynet-dev/safetynet/scan/rules/batch"
	"github.com/safetynet-dev/safetynet/scan/rules/buildspec"
	"github.com/safetynet-dev/safetynet/scan/rules/cloudformation"
	"github.com/safetynet-dev/safetynet/scan/rules/cloudfront"
	"github.com/safetynet-dev/safetynet/scan/rules/cloudtrail"
	"github.com/safetynet-dev/safetynet/scan/rules/cloudwatch"
	"github.com/safetynet-dev/safetynet/scan/rules/codebuild"
	"github.com/safetynet-dev/safetynet/scan/rules/codedeploy"
	"github.com/safetynet-dev/safetynet/scan/rules/codepipeline"
	"github.com/safetynet-dev/safetynet/scan/rules/cognito"
	"github.com/safetynet-dev/safetynet/scan/rules/dax"
	"github.com/safetynet-dev/safetynet/scan/rules/directoryservice"
	"github.com/safetynet-dev/safetynet/scan/rules/dlm"
	"github.com/safetynet-dev/safetynet/scan/rules/dms"
	"github.com/safetynet-dev/safetynet/scan/rules/docdb"
	"github.com/safetynet-dev/safetynet/scan/rules/dynamodb"
	"github.com/safetynet-dev/safetynet/scan/rules/ec2"
	"github.com/safetynet-dev/safetynet/scan/rules/ecr"
	"github.com/safetynet-dev/safetynet/scan/rules/ecs"
	"github.com/safetynet-dev/safetynet/scan/rules/efs"
	"github.com/safetynet-dev/safetynet/scan/rules/eks"
	"github.com/safetynet-dev/safetynet/scan/rules/elasticache"
	"github.com/safetynet-dev/safetynet/scan/rules/elb"
	"github.com/safetynet-dev/safetynet/scan/rules/emr"
	"github.com/safetynet-dev/safetynet/scan/rules/gamelift"
	"github.com/safetynet-dev/safetynet/scan/rules/iam"
	"github.com/safetynet-dev/safetynet/scan/rules/iot"
	"github.com/safetynet-dev/safetynet/scan/rules/kendra"
	"github.com/safetynet-dev/safetynet/scan/rules/kinesis"
	"github.com/safetynet-dev/safetynet/scan/rules/kms"
	"github.com/safetynet-dev/safetynet/scan/rules/lambda"
	"github.com/safetynet-dev/safetynet/scan/rules/logs"
	"github.com/safetynet-dev/safetynet/scan/rules/managedblockchain"
	"github.com/safetynet-dev/safetynet/scan/rules/neptune"
	"github.com/safetynet-dev/safetynet/scan/rules/opensearch"
	"github.com/safetynet-dev/safetynet/scan/rules/opsworks"
	"github.com/safetynet-dev/safetynet/scan/rules/pinpoint"
	"github.com/safetynet-dev/safetynet/scan/rules/rds"
	"github.com/safetynet-dev/safetynet/scan/rules/redshift"
	"github.com/safetynet-dev/safetynet/scan/rules/route53"
	"github.com/safetynet-dev/safetynet/scan/rules/s3"
	"github.com/safetynet-dev/safetynet/scan/rules/sagemaker"
	"github.com/safetynet-dev/safetynet/scan/rules/sdb"
	"github.com/safetynet-dev/safetynet/scan/rules/secretsmanager"
	"github.com/safetynet-dev/safetynet/scan/rules/serverless"
	"github.com/safetynet-dev/safetynet/scan/rules/sns"
	"github.com/safetynet-dev/safetynet/scan/rules/sqs"
	"github.com/safetynet-dev/safetynet/scan/rules/stepfunctions"
	"github.com/safetynet-dev/safetynet/scan/rules/waf"
	"github.com/safetynet-dev/safetynet/scan/rules/workspaces"
)

// registry lists every rule, sorted by ID. Each service package keeps its
// own list, so engineers adding rules to different services never edit the
// same file.
var registry = func() []*scan.Rule {
	var all []*scan.Rule
	for _, list := range [][]*scan.Rule{
		acm.Rules,
		alexa.Rules,
		amazonmq.Rules,
		amplify.Rules,
		apigateway.Rules,
		appstream.Rules,
		batch.Rules,
		buildspec.Rules,
		cloudformation.Rules,
		cloudfront.Rules,
		cloudtrail.Rules,
		cloudwatch.Rules,
		codebuild.Rules,
		codedeploy.Rules,
		codepipeline.Rules,
		cognito.Rules,
		dax.Rules,
		directoryservice.Rules,
		dlm.Rules,
		dms.Rules,
		docdb.Rules,
		dynamodb.Rules,
		ec2.Rules,
		ecr.Rules,
		ecs.Rules,
		efs.Rules,
		eks.Rules,
		elasticache.Rules,
		elb.Rules,
		emr.Rules,
		gamelift.Rules,
		iam.Rules,
		iot.Rules,
		kendra.Rules,
		kinesis.Rules,
		kms.Rules,
		lambda.Rules,
		logs.Rules,
		managedblockchain.Rules,
		neptune.Rules,
		opensearch.Rules,
		opsworks.Rules,
		pinpoint.Rules,
		rds.Rules,
		redshift.Rules,
		route53.Rules,
		s3.Rules,
		sagemaker.Rules,
		sdb.Rules,
		secretsmanager.Rules,
		serverless.Rules,
		sns.Rules,
		sqs.Rules,
		stepfunctions.Rules,
		waf.Rules,
		workspaces.Rules,
	} {
		all = append(all, list...)
	}
	slices.SortFunc(all, func(a, b *scan.Rule) int { return strings.Compare(a.ID, b.ID) })
	return all
}()

// All returns every rule, sorted by ID. The slice is a copy; the rules are
// shared.
func All() []*scan.Rule {
	return slices.Clone(registry)
}

// Lookup returns the rule with the given ID or alias (such as a cfn_nag
// ID), ignoring case, or nil.
func Lookup(idOrAlias string) *scan.Rule {
	for _, r := range registry {
		for _, n := range r.Names() {
			if strings.EqualFold(n, idOrAlias) {
				return r
			}
		}
	}
	return nil
}
