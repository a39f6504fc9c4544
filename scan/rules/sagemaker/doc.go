// Package sagemaker holds the rules for SageMaker notebook instances,
// endpoint configurations and models.
package sagemaker

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

const notebookType = "AWS::SageMaker::NotebookInstance"

// missing returns a check reporting resources where the property key is
// not set; what starts the message.
func missing(what, key string) func(*scan.Pass) {
	return func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, key) {
				if v.Absent {
					rep.Report(r, v, "%s: %s", what, v.State(key))
				}
			}
		}
	}
}

// notDisabled returns a check reporting resources whose Enabled/Disabled
// property key is not set to Disabled (the default being Enabled).
func notDisabled(what, key string) func(*scan.Pass) {
	return func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, key) {
				if s, ok := v.Str(); v.Absent || (ok && s != "Disabled") {
					rep.Report(r, v, "%s: %s", what, v.State(key))
				}
			}
		}
	}
}
