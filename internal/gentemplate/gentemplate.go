// Package gentemplate writes large synthetic templates for benchmarks.
package gentemplate

import (
	"fmt"
	"strings"
)

// Generate returns a template with n resources of mixed types, each with a
// finding or two, like a large real stack.
func Generate(n int) []byte {
	var sb strings.Builder
	sb.WriteString("AWSTemplateFormatVersion: \"2010-09-09\"\nParameters:\n  Cidr:\n    Type: String\n    Default: 0.0.0.0/0\nConditions:\n  IsProd: !Equals [!Ref AWS::Region, eu-west-1]\nResources:\n")
	for i := 0; i < n; i++ {
		switch i % 4 {
		case 0:
			fmt.Fprintf(&sb, "  Bucket%d:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub \"${AWS::StackName}-b%d\"\n      AccessControl: PublicRead\n", i, i)
		case 1:
			fmt.Fprintf(&sb, "  Sg%d:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: sg %d\n      SecurityGroupIngress:\n        - IpProtocol: tcp\n          FromPort: 22\n          ToPort: 22\n          CidrIp: !Ref Cidr\n", i, i)
		case 2:
			fmt.Fprintf(&sb, "  Vol%d:\n    Type: AWS::EC2::Volume\n    Properties:\n      AvailabilityZone: !Select [0, !GetAZs \"\"]\n      Size: 10\n      Encrypted: !If [IsProd, true, false]\n", i)
		case 3:
			fmt.Fprintf(&sb, "  Role%d:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement:\n          - Effect: Allow\n            Principal: {Service: lambda.amazonaws.com}\n            Action: sts:AssumeRole\n      Policies:\n        - PolicyName: p\n          PolicyDocument:\n            Statement:\n              - Effect: Allow\n                Action: [\"s3:*\", \"sqs:SendMessage\"]\n                Resource: !GetAtt Bucket%d.Arn\n", i, i-3)
		}
	}
	return []byte(sb.String())
}
