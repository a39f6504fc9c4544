package codepipeline

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"testing/fstest"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/aws"
	cpapi "github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules"
)

// Config is how the handler reaches AWS.
type Config struct {
	// Region of the pipeline, its artifact bucket and this function
	// (AWS_REGION in Lambda).
	Region string
	// Credentials are the function's own, used only to report job results.
	// The artifact is read with the credentials each job carries.
	Credentials aws.CredentialsProvider
	// Endpoint, when set, replaces the AWS endpoints of both S3 (with
	// path-style addressing) and CodePipeline; tests point it at a local
	// server.
	Endpoint string
	// HTTPClient, when set, sends every request.
	HTTPClient interface {
		Do(*http.Request) (*http.Response, error)
	}
	// Limits bound what an artifact may make the function read; zero
	// fields take DefaultLimits.
	Limits Limits
	// Logger receives one line per job; nil logs nothing. The event is
	// never logged: it carries the job's credentials.
	Logger *slog.Logger
	// Now is the clock, for tests; nil means time.Now.
	Now func() time.Time
}

// FromEnv builds a Config from the variables Lambda sets for a function:
// AWS_REGION and the execution role's AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN. AWS_ENDPOINT_URL, the SDKs'
// standard override, points both services elsewhere (an emulator, a test).
func FromEnv(getenv func(string) string) (Config, error) {
	cfg := Config{Region: getenv("AWS_REGION"), Endpoint: getenv("AWS_ENDPOINT_URL")}
	if cfg.Region == "" {
		return cfg, errors.New("codepipeline: AWS_REGION is not set")
	}
	if getenv("AWS_ACCESS_KEY_ID") == "" || getenv("AWS_SECRET_ACCESS_KEY") == "" {
		return cfg, errors.New("codepipeline: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")
	}
	// Read on every use, as the SDK's environment provider does, so the
	// values Lambda gives the execution environment are always current.
	cfg.Credentials = aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{
			AccessKeyID:     getenv("AWS_ACCESS_KEY_ID"),
			SecretAccessKey: getenv("AWS_SECRET_ACCESS_KEY"),
			SessionToken:    getenv("AWS_SESSION_TOKEN"),
			Source:          "LambdaEnvironment",
		}, nil
	})
	return cfg, nil
}

// jobReporter is the part of CodePipeline the handler calls.
type jobReporter interface {
	PutJobSuccessResult(context.Context, *cpapi.PutJobSuccessResultInput, ...func(*cpapi.Options)) (*cpapi.PutJobSuccessResultOutput, error)
	PutJobFailureResult(context.Context, *cpapi.PutJobFailureResultInput, ...func(*cpapi.Options)) (*cpapi.PutJobFailureResultOutput, error)
}

// objectGetter is the part of S3 the handler calls.
type objectGetter interface {
	GetObject(context.Context, *s3.GetObjectInput, ...func(*s3.Options)) (*s3.GetObjectOutput, error)
}

// Handler runs CodePipeline jobs. It is safe for concurrent use.
type Handler struct {
	pipeline jobReporter
	s3For    func(aws.Credentials) objectGetter
	limits   Limits
	log      *slog.Logger
	now      func() time.Time
	all      []*scan.Rule
}

// New builds a handler from cfg.
func New(cfg Config) *Handler {
	h := &Handler{
		limits: cfg.Limits.withDefaults(),
		log:    cfg.Logger,
		now:    cfg.Now,
		all:    append(rules.All(), scan.EngineRules...),
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.now == nil {
		h.now = time.Now
	}
	var endpoint *string
	if cfg.Endpoint != "" {
		endpoint = aws.String(cfg.Endpoint)
	}
	cpOpts := cpapi.Options{Region: cfg.Region, Credentials: cfg.Credentials, BaseEndpoint: endpoint}
	if cfg.HTTPClient != nil {
		cpOpts.HTTPClient = cfg.HTTPClient
	}
	h.pipeline = cpapi.New(cpOpts)
	h.s3For = func(c aws.Credentials) objectGetter {
		o := s3.Options{
			Region:       cfg.Region,
			Credentials:  aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return c, nil }),
			BaseEndpoint: endpoint,
			UsePathStyle: endpoint != nil,
			// The artifact's integrity is the zip's own CRCs; S3 only
			// sends checksums for objects uploaded with them.
			DisableLogOutputChecksumValidationSkipped: true,
		}
		if cfg.HTTPClient != nil {
			o.HTTPClient = cfg.HTTPClient
		}
		return s3.New(o)
	}
	return h
}

// jobFailure is why a job failed, in CodePipeline's terms.
type jobFailure struct {
	kind    types.FailureType
	message string
}

func (f *jobFailure) Error() string { return string(f.kind) + ": " + f.message }

func failed(kind types.FailureType, format string, args ...any) *jobFailure {
	return &jobFailure{kind: kind, message: fmt.Sprintf(format, args...)}
}

// outcome is a finished job, ready to report.
type outcome struct {
	failure   *jobFailure
	summary   string
	variables map[string]string
}

// reportMargin is kept from the function's deadline to report the result:
// a job never reported waits for CodePipeline's own timeout.
const reportMargin = 5 * time.Second

// Handle runs one job and reports its result to CodePipeline. It returns an
// error only when the result could not be reported (Lambda then retries the
// invocation) or the event is not a CodePipeline job.
func (h *Handler) Handle(ctx context.Context, ev events.CodePipelineJobEvent) error {
	job := ev.CodePipelineJob
	if job.ID == "" {
		return errors.New("codepipeline: the event has no CodePipeline.job id: not a CodePipeline job event")
	}
	start := h.now()
	var reqID *string
	if lc, ok := lambdacontext.FromContext(ctx); ok && lc.AwsRequestID != "" {
		reqID = aws.String(lc.AwsRequestID)
	}
	work := ctx
	if dl, ok := ctx.Deadline(); ok {
		var cancel context.CancelFunc
		work, cancel = context.WithDeadline(ctx, dl.Add(-reportMargin))
		defer cancel()
	}
	out := h.run(work, job)
	log := h.log.With("job_id", job.ID, "seconds", h.now().Sub(start).Seconds())
	if out.failure != nil {
		_, err := h.pipeline.PutJobFailureResult(ctx, &cpapi.PutJobFailureResultInput{
			JobId: aws.String(job.ID),
			FailureDetails: &types.FailureDetails{
				Type:                out.failure.kind,
				Message:             aws.String(out.failure.message),
				ExternalExecutionId: reqID,
			},
		})
		if err != nil {
			log.Error("could not report the job's failure", "error", err)
			return fmt.Errorf("codepipeline: report failure of job %s: %w", job.ID, err)
		}
		log.Info("job failed", "type", string(out.failure.kind), "message", firstLine(out.failure.message))
		return nil
	}
	_, err := h.pipeline.PutJobSuccessResult(ctx, &cpapi.PutJobSuccessResultInput{
		JobId:            aws.String(job.ID),
		ExecutionDetails: &types.ExecutionDetails{Summary: aws.String(out.summary), ExternalExecutionId: reqID, PercentComplete: aws.Int32(100)},
		OutputVariables:  out.variables,
	})
	if err != nil {
		log.Error("could not report the job's success", "error", err)
		return fmt.Errorf("codepipeline: report success of job %s: %w", job.ID, err)
	}
	log.Info("job succeeded", "summary", firstLine(out.summary))
	return nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// run does the job's work. A panic in it is reported as the job's failure,
// since a crashed function leaves the pipeline waiting for its timeout.
func (h *Handler) run(ctx context.Context, job events.CodePipelineJob) (out outcome) {
	defer func() {
		if v := recover(); v != nil {
			h.log.Error("internal error", "job_id", job.ID, "panic", fmt.Sprint(v))
			out = outcome{failure: failed(types.FailureTypeJobFailed, "safetynet: internal error: %v (please report this)", v)}
		}
	}()
	o, err := h.scanJob(ctx, job)
	if err != nil {
		var jf *jobFailure
		switch {
		case ctx.Err() != nil:
			// Whatever failed, it failed because time ran out; say so
			// rather than blame S3 or the scan.
			jf = failed(types.FailureTypeJobFailed, "safetynet: the job did not finish within the function's timeout less %v kept to report it; raise the function's timeout (TimeoutSeconds) or scan fewer files (%s)", reportMargin, strings.TrimPrefix(messageOf(err), "safetynet: "))
		case !errors.As(err, &jf):
			jf = failed(types.FailureTypeJobFailed, "safetynet: %v", err)
		}
		jf.message = clip(jf.message, maxFailureMessage)
		return outcome{failure: jf}
	}
	return o
}

func messageOf(err error) string {
	var jf *jobFailure
	if errors.As(err, &jf) {
		return jf.message
	}
	return err.Error()
}

// scanJob reads the job's artifact and scans it. Its errors are
// *jobFailure values saying how to report them.
func (h *Handler) scanJob(ctx context.Context, job events.CodePipelineJob) (outcome, error) {
	set, err := parseParams(job.Data.ActionConfiguration.Configuration.UserParameters, h.all)
	if err != nil {
		return outcome{}, failed(types.FailureTypeConfigurationError, "safetynet: %v", err)
	}
	in, err := pickArtifact(job.Data.InputArtifacts, set.Artifact)
	if err != nil {
		return outcome{}, err
	}
	data, err := h.download(ctx, job.Data.ArtifactCredentials, in)
	if err != nil {
		return outcome{}, err
	}
	art, err := openArtifact(in.Name, data, h.limits)
	if err != nil {
		return outcome{}, failed(types.FailureTypeJobFailed, "safetynet: %v", err)
	}
	if err := h.applyRepoConfig(art, set); err != nil {
		return outcome{}, err
	}
	var names []string
	if len(set.repo.paths) > 0 {
		names, err = art.selectPaths(set.repo.paths, set.Exclude)
	} else {
		names, err = art.selectTemplates(set.Pattern, set.Exclude)
	}
	if errors.Is(err, errUnsafeArtifact) {
		return outcome{}, failed(types.FailureTypeJobFailed, "safetynet: %v", err)
	}
	if err != nil {
		return outcome{}, failed(types.FailureTypeConfigurationError, "safetynet: %s: %v", cmp.Or(set.repo.file, "UserParameters"), err)
	}
	if len(names) == 0 {
		want := "no CloudFormation template (.yaml, .yml, .json or .template file)"
		switch {
		case set.Pattern != "":
			want = fmt.Sprintf("no file matching pattern %q", set.Pattern)
		case len(set.repo.paths) > 0:
			want = fmt.Sprintf("no template under the paths %q of %s", set.repo.paths, set.repo.file)
		}
		return outcome{}, failed(types.FailureTypeConfigurationError, "safetynet: input artifact %q has %s; %s", in.Name, want, art.sample(10))
	}

	paramSets, err := h.readParamFiles(art, set)
	if err != nil {
		return outcome{}, err
	}
	tree := fstest.MapFS{}
	targets := make([]scan.Target, 0, len(names))
	for _, n := range names {
		b, err := art.readFile(n)
		if err != nil {
			return outcome{}, failed(types.FailureTypeJobFailed, "safetynet: %v", err)
		}
		tree[n] = &fstest.MapFile{Data: b, Mode: 0o444}
		targets = append(targets, scan.Target{FS: tree, Path: n, Name: n, Explicit: set.Pattern != ""})
	}
	res, err := scan.Run(ctx, targets, scan.Options{
		Rules:    set.rules,
		AllRules: set.all,
		// One invocation scans one artifact; a single worker keeps memory
		// flat on a small function, and the artifact's templates are few.
		Workers: 1,
		Params: func(name string) (map[string]string, error) {
			return paramSets[set.ParamFiles.fileFor(name)], nil
		},
		Stacks:          set.repo.stacks,
		Suppressions:    set.repo.suppressions,
		SuppressionFile: set.repo.suppressionFile,
		Baseline:        set.repo.baseline,
		MaxFileSize:     h.limits.FileBytes,
		Now:             h.now,
	})
	if err != nil {
		return outcome{}, failed(types.FailureTypeJobFailed, "safetynet: the scan ran out of time: %v", err)
	}
	where := fmt.Sprintf("input artifact %q", in.Name)
	if set.repo.file != "" {
		where += " with " + set.repo.file
	}
	if res.Summary.Files == 0 && len(res.Errors) == 0 {
		return outcome{}, failed(types.FailureTypeConfigurationError, "safetynet: %s matched in %s but none is a CloudFormation template", plural(len(names), "file"), where)
	}
	c := countResult(res, set.failOn)
	if len(res.Errors) > 0 || len(c.failing) > 0 {
		return outcome{}, failed(types.FailureTypeJobFailed, "%s", failureMessage(res, c, set.failOn, where))
	}
	return outcome{summary: successSummary(c, set.failOn, where), variables: c.variables()}, nil
}

// pickArtifact chooses the input artifact: the one named, or the only one.
func pickArtifact(inputs []events.CodePipelineInputArtifact, name string) (events.CodePipelineInputArtifact, error) {
	var names []string
	for _, in := range inputs {
		if name != "" && in.Name == name {
			return in, nil
		}
		names = append(names, fmt.Sprintf("%q", in.Name))
	}
	switch {
	case len(inputs) == 0:
		return events.CodePipelineInputArtifact{}, failed(types.FailureTypeConfigurationError, "safetynet: the action has no input artifact; give it the artifact that holds the templates")
	case name != "":
		return events.CodePipelineInputArtifact{}, failed(types.FailureTypeConfigurationError, "safetynet: UserParameters: artifact %q is not an input of this action (inputs: %s)", name, strings.Join(names, ", "))
	case len(inputs) > 1:
		return events.CodePipelineInputArtifact{}, failed(types.FailureTypeConfigurationError, "safetynet: the action has %d input artifacts (%s); name the one to scan with \"artifact\" in UserParameters", len(inputs), strings.Join(names, ", "))
	}
	return inputs[0], nil
}

// download fetches the artifact zip with the job's own credentials, which
// CodePipeline scopes to the pipeline's artifact bucket for this job.
func (h *Handler) download(ctx context.Context, creds events.CodePipelineArtifactCredentials, in events.CodePipelineInputArtifact) ([]byte, error) {
	loc := in.Location.S3Location
	where := fmt.Sprintf("input artifact %q (s3://%s/%s)", in.Name, loc.BucketName, loc.ObjectKey)
	if in.Location.LocationType != "" && in.Location.LocationType != "S3" {
		return nil, failed(types.FailureTypeConfigurationError, "safetynet: %s is stored in %q, not S3", where, in.Location.LocationType)
	}
	if loc.BucketName == "" || loc.ObjectKey == "" {
		return nil, failed(types.FailureTypeJobFailed, "safetynet: the job names no S3 location for input artifact %q", in.Name)
	}
	if creds.AccessKeyID == "" || creds.SecretAccessKey == "" {
		return nil, failed(types.FailureTypeConfigurationError, "safetynet: the job carries no artifact credentials to read %s", where)
	}
	client := h.s3For(aws.Credentials{
		AccessKeyID:     creds.AccessKeyID,
		SecretAccessKey: creds.SecretAccessKey,
		SessionToken:    creds.SessionToken,
		Source:          "CodePipelineArtifactCredentials",
	})
	obj, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(loc.BucketName), Key: aws.String(loc.ObjectKey)})
	if err != nil {
		kind := types.FailureTypeJobFailed
		var ae smithy.APIError
		if errors.As(err, &ae) {
			switch ae.ErrorCode() {
			case "AccessDenied", "Forbidden", "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken":
				kind = types.FailureTypePermissionError
			}
		}
		return nil, failed(kind, "safetynet: cannot download %s: %v", where, err)
	}
	defer obj.Body.Close()
	limit := h.limits.ArtifactBytes
	if obj.ContentLength != nil && *obj.ContentLength > limit {
		return nil, failed(types.FailureTypeJobFailed, "safetynet: %s is %d bytes, over the %d-byte limit", where, *obj.ContentLength, limit)
	}
	data, err := io.ReadAll(io.LimitReader(obj.Body, limit+1))
	if err != nil {
		return nil, failed(types.FailureTypeJobFailed, "safetynet: cannot download %s: %v", where, err)
	}
	if int64(len(data)) > limit {
		return nil, failed(types.FailureTypeJobFailed, "safetynet: %s is over the %d-byte limit", where, limit)
	}
	return data, nil
}

// readParamFiles reads and parses every parameter file UserParameters
// names, before scanning, so that a missing one fails the job instead of
// quietly falling back to defaults.
func (h *Handler) readParamFiles(art *artifact, set *settings) (map[string]map[string]string, error) {
	out := map[string]map[string]string{"": nil}
	for _, name := range set.ParamFiles.files() {
		clean, err := entryName(name)
		if err != nil {
			return nil, failed(types.FailureTypeConfigurationError, "safetynet: UserParameters: params: %q %v", name, err)
		}
		data, err := art.readFile(clean)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, failed(types.FailureTypeConfigurationError, "safetynet: UserParameters: params: %q is not in input artifact %q", name, art.name)
		}
		if err != nil {
			return nil, failed(types.FailureTypeJobFailed, "safetynet: %v", err)
		}
		v, err := cfn.ParseParameterFile(clean, data)
		if err != nil {
			return nil, failed(types.FailureTypeJobFailed, "safetynet: parameter file: %v", err)
		}
		out[name] = v
	}
	return out, nil
}
