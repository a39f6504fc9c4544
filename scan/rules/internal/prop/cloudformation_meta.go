package prop

import "github.com/safetynet-dev/safetynet/cfn"

// CFNMetadata returns the possible values of a resource's Metadata, with
// paths starting at "Metadata", so that Field and Items walk it as they
// walk Properties and findings point at the exact metadata key.
func CFNMetadata(e *cfn.Evaluator, r *cfn.Resource) []Val {
	if r.Metadata == nil {
		return nil
	}
	var out []Val
	for _, v := range e.Values(r.Metadata) {
		val := Val{Value: v, Path: "Metadata", written: v.Node != nil && v.Node == v.Site}
		if v.Node != r.Metadata {
			val.At = v.Site
		}
		out = append(out, val)
	}
	return out
}
