package lambda

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// deprecatedRuntimes maps each deprecated Lambda runtime identifier to the
// date AWS deprecated it, from the Lambda runtime support tables as of
// November 2026.
var deprecatedRuntimes = map[string]string{
	"nodejs":         "2016-10-31",
	"nodejs4.3":      "2020-03-06",
	"nodejs4.3-edge": "2019-04-30",
	"nodejs6.10":     "2019-08-12",
	"nodejs8.10":     "2020-03-06",
	"nodejs10.x":     "2021-07-30",
	"nodejs12.x":     "2023-03-31",
	"nodejs14.x":     "2023-12-04",
	"nodejs16.x":     "2024-06-12",
	"nodejs18.x":     "2025-09-01",
	"nodejs20.x":     "2026-04-30",
	"python2.7":      "2021-07-15",
	"python3.6":      "2022-07-18",
	"python3.7":      "2023-12-04",
	"python3.8":      "2024-10-14",
	"python3.9":      "2025-12-15",
	"dotnetcore1.0":  "2019-07-30",
	"dotnetcore2.0":  "2019-05-30",
	"dotnetcore2.1":  "2022-01-05",
	"dotnetcore3.1":  "2023-04-03",
	"dotnet6":        "2024-12-20",
	"dotnet8":        "2026-11-10",
	"ruby2.5":        "2022-07-30",
	"ruby2.7":        "2023-12-07",
	"ruby3.2":        "2026-03-31",
	"java8":          "2024-01-08",
	"go1.x":          "2024-01-08",
	"provided":       "2024-01-08",
}

// FunctionDeprecatedRuntime reports functions on a runtime AWS no longer
// patches.
var FunctionDeprecatedRuntime = &scan.Rule{
	ID:        "LAMBDA-011",
	Title:     "Lambda function uses a deprecated runtime",
	Severity:  scan.Failure,
	Resources: functionTypes,
	Doc: `Lambda deprecates a runtime when its language version or operating
system stops receiving security updates. After that date AWS no longer
patches the runtime, functions on it lose technical support, and some time
later Lambda blocks creating and then updating them, so a fix can no longer
be deployed. The rule knows the runtimes deprecated as of November 2026:
nodejs up to nodejs20.x (2026-04-30), python2.7 and python3.6 to python3.9
(2025-12-15), dotnetcore1.0 to dotnetcore3.1, dotnet6 and dotnet8
(2026-11-10), ruby2.5, ruby2.7 and ruby3.2 (2026-03-31), java8 on Amazon
Linux 1 (java8.al2 is supported), go1.x and provided (both 2024-01-08; use
provided.al2023). For AWS SAM functions, a Runtime in Globals.Function
applies to every function without its own and is reported at each of them.
There is no cfn_nag equivalent.

Bad:

~~~yaml
Worker:
  Type: AWS::Lambda::Function
  Properties:
    Runtime: python3.8
    Handler: app.handler
    Role: !GetAtt WorkerRole.Arn
    Code: {S3Bucket: artifacts, S3Key: worker.zip}
~~~

Good:

~~~yaml
Worker:
  Type: AWS::Lambda::Function
  Properties:
    Runtime: python3.13
    Handler: app.handler
    Role: !GetAtt WorkerRole.Arn
    Code: {S3Bucket: artifacts, S3Key: worker.zip}
~~~
`,
	Fix: "Move the function to a supported runtime (see the Lambda runtimes page).",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.ServerlessGet(p.Eval, p.Template, r, "Runtime") {
				s, ok := v.Str()
				if !ok {
					continue
				}
				if date, bad := deprecatedRuntimes[s]; bad {
					rep.Report(r, v.Val, "Lambda runtime %s is deprecated since %s and no longer receives security updates%s", s, date, v.From())
				}
			}
		}
	},
}
