package scan

import (
	"bytes"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	yaml "go.yaml.in/yaml/v3"

	"github.com/safetynet-dev/safetynet/cfn"
)

// The engine's own rules report problems with suppressions. They have no
// Check: the engine applies them while matching suppressions to findings.
var (
	SuppressionNoReason = &Rule{
		ID:       "SN-001",
		Title:    "Suppression has no reason",
		Severity: Warning,
		Doc: "Anyone may silence a finding, but the next reader needs to know why. A suppression " +
			"without a `reason` does not suppress anything: the finding stays until a reason is written.\n\n" +
			"Bad:\n\n```yaml\nMetadata:\n  cfn_nag:\n    rules_to_suppress:\n      - id: W31\n```\n\n" +
			"Good:\n\n```yaml\nMetadata:\n  cfn_nag:\n    rules_to_suppress:\n      - id: W31\n        reason: Public website assets, reviewed in SEC-142\n```\n",
		Fix: "add a reason: that says why the finding does not apply here",
	}
	SuppressionUnused = &Rule{
		ID:       "SN-002",
		Title:    "Suppression matches nothing",
		Severity: Warning,
		Doc: "A suppression that names an unknown rule, or a rule that no longer fires on the resource, " +
			"is dead weight that hides the next real finding. Remove it or correct the rule ID.\n\n" +
			"Bad:\n\n```yaml\nMetadata:\n  cfn_nag:\n    rules_to_suppress:\n      - id: W9999\n        reason: old\n```\n\n" +
			"Good:\n\n```yaml\n# no suppression when nothing needs silencing\n```\n",
		Fix: "remove the suppression or correct its rule ID",
	}
	SuppressionMalformed = &Rule{
		ID:       "SN-003",
		Title:    "Suppression is malformed",
		Severity: Warning,
		Doc: "A misspelled key (`rules_to_supress`, `reson`) silently turns a suppression into nothing " +
			"in other tools. safetynet reports it.\n\n" +
			"Bad:\n\n```yaml\nMetadata:\n  cfn_nag:\n    rules_to_supress:\n      - id: W31\n        reason: website\n```\n\n" +
			"Good:\n\n```yaml\nMetadata:\n  cfn_nag:\n    rules_to_suppress:\n      - id: W31\n        reason: website\n```\n",
		Fix: "use rules_to_suppress (cfn_nag) or suppress (safetynet) with id/rule and reason keys",
	}
)

// EngineRules are the rules the engine itself reports.
var EngineRules = []*Rule{SuppressionNoReason, SuppressionUnused, SuppressionMalformed}

// suppression is one entry of resource or template metadata.
type suppression struct {
	names    map[string]bool // rule ID and aliases it covers
	resource string          // empty for template-wide
	line     int             // the line covered (buildspec comments); 0 for any
	at       *cfn.Node
	path     string
	rule     string // as written
	reason   string
	used     bool
}

type suppressions struct {
	file     string
	list     []*suppression
	findings []Finding // problems with the suppressions themselves
	tmpl     *cfn.Template
	selected map[*Rule]bool
}

// ruleIndex finds rules by ID or alias and says which are selected; it is
// built once per scan, not per template.
type ruleIndex struct {
	byName      map[string]*Rule
	selected    map[*Rule]bool
	selectedIDs map[string]bool
}

func newRuleIndex(selected, all []*Rule) *ruleIndex {
	ix := &ruleIndex{byName: map[string]*Rule{}, selected: map[*Rule]bool{}, selectedIDs: map[string]bool{}}
	for _, list := range [][]*Rule{all, selected} {
		for _, r := range list {
			for _, n := range r.Names() {
				ix.byName[strings.ToUpper(n)] = r
			}
		}
	}
	for _, r := range selected {
		ix.selected[r] = true
		ix.selectedIDs[r.ID] = true
	}
	return ix
}

// parseSuppressions reads cfn_nag's and safetynet's suppression metadata
// from the template and its resources.
func parseSuppressions(t *cfn.Template, ix *ruleIndex) *suppressions {
	s := &suppressions{file: t.File, tmpl: t, selected: ix.selected}
	byName := ix.byName
	for _, r := range t.Resources {
		s.readMetadata(r.Metadata, r, "Resources."+r.ID+".Metadata", byName)
	}
	s.readMetadata(t.Root.Get("Metadata"), nil, "Metadata", byName)
	return s
}

func (s *suppressions) report(r *Rule, res *cfn.Resource, at *cfn.Node, path, format string, args ...any) {
	s.findings = append(s.findings, placeFinding(r, s.file, Diagnostic{Resource: res, At: at, Path: path, Message: fmt.Sprintf(format, args...)}))
}

func (s *suppressions) readMetadata(md *cfn.Node, res *cfn.Resource, base string, byName map[string]*Rule) {
	if md == nil || md.Kind != cfn.Map {
		return
	}
	for _, p := range md.Pairs {
		var listKey, idKey string
		switch strings.ToLower(p.Key) {
		case "cfn_nag", "cfn-nag", "cfnnag":
			listKey, idKey = "rules_to_suppress", "id"
		case "safetynet":
			listKey, idKey = "suppress", "rule"
		default:
			continue
		}
		where := base + "." + p.Key
		if p.Value == nil || p.Value.Kind != cfn.Map {
			s.report(SuppressionMalformed, res, p.Value, where, "%s metadata must be a mapping with a %s list", p.Key, listKey)
			continue
		}
		for _, q := range p.Value.Pairs {
			if q.Key != listKey {
				s.report(SuppressionMalformed, res, q.Value, where+"."+q.Key, "unknown key %q in %s metadata (did you mean %s?)", q.Key, p.Key, listKey)
				continue
			}
			if q.Value == nil || q.Value.Kind != cfn.Seq {
				s.report(SuppressionMalformed, res, q.Value, where+"."+q.Key, "%s must be a list of {%s, reason} entries", listKey, idKey)
				continue
			}
			for i, e := range q.Value.Items {
				s.readEntry(e, res, fmt.Sprintf("%s.%s[%d]", where, listKey, i), idKey, byName)
			}
		}
	}
}

func (s *suppressions) readEntry(e *cfn.Node, res *cfn.Resource, where, idKey string, byName map[string]*Rule) {
	if e == nil || e.Kind != cfn.Map {
		s.report(SuppressionMalformed, res, e, where, "a suppression must be a mapping with %s and reason", idKey)
		return
	}
	var id, reason string
	for _, p := range e.Pairs {
		switch p.Key {
		case "id", "rule":
			id, _ = p.Value.Text()
		case "reason":
			reason, _ = p.Value.Text()
		default:
			s.report(SuppressionMalformed, res, e, where+"."+p.Key, "unknown key %q in suppression (want %s and reason)", p.Key, idKey)
		}
	}
	if id == "" {
		s.report(SuppressionMalformed, res, e, where, "suppression names no rule (missing %s)", idKey)
		return
	}
	s.add(&suppression{rule: id, reason: reason, at: e, path: where}, res, byName)
}

// add records a suppression of sp.rule, reporting one without a reason or
// naming no known rule.
func (s *suppressions) add(sp *suppression, res *cfn.Resource, byName map[string]*Rule) {
	id, e, where := sp.rule, sp.at, sp.path
	if strings.TrimSpace(sp.reason) == "" {
		s.report(SuppressionNoReason, res, e, where, "suppression of %s has no reason, so it is not applied", id)
		return
	}
	sp.names = map[string]bool{strings.ToUpper(id): true}
	if res != nil {
		sp.resource = res.ID
	}
	if r := byName[strings.ToUpper(id)]; r != nil {
		for _, n := range r.Names() {
			sp.names[strings.ToUpper(n)] = true
		}
		// A rule turned off for this run cannot fire, so its suppression
		// is neither used nor dead.
		sp.used = !s.selected[r]
	} else {
		sp.used = true // reported here instead of as unused
		if !cfnNagIDs[strings.ToUpper(id)] {
			s.report(SuppressionUnused, res, e, where, "suppression names %s, which is not a known rule", id)
		}
	}
	s.list = append(s.list, sp)
}

// match reports whether a suppression covers f, and the reason given.
func (s *suppressions) match(f Finding) (reason string, ok bool) {
	if s == nil {
		return "", false
	}
	for _, sp := range s.list {
		if (sp.resource == "" || sp.resource == f.Resource || slices.Contains(f.Related, sp.resource)) && sp.names[strings.ToUpper(f.Rule)] &&
			(sp.line == 0 || sp.line == f.Line) {
			sp.used = true
			if !ok {
				reason, ok = sp.reason, true
			}
		}
	}
	return reason, ok
}

// unused returns the problems with the suppressions, including those that
// matched no finding. Call it after every finding has been matched.
func (s *suppressions) unused() []Finding {
	out := s.findings
	for _, sp := range s.list {
		if sp.used {
			continue
		}
		var res *cfn.Resource
		if sp.resource != "" {
			res = s.tmpl.Resource(sp.resource)
		}
		out = append(out, placeFinding(SuppressionUnused, s.file, Diagnostic{Resource: res, At: sp.at, Path: sp.path,
			Message: fmt.Sprintf("suppression of %s matches no finding", sp.rule)}))
	}
	return out
}

// ExternalSuppression is one entry of a suppression file, for teams that want
// suppressions reviewed apart from templates.
type ExternalSuppression struct {
	Rule     string    `yaml:"rule"`
	File     string    `yaml:"file"`     // glob on the template name; empty matches all
	Resource string    `yaml:"resource"` // logical id; empty matches all
	Reason   string    `yaml:"reason"`
	Expires  time.Time `yaml:"expires"` // zero for never
	Line     int       `yaml:"-"`
	names    map[string]bool
	used     bool
}

// LoadSuppressionFile reads a suppression file:
//
//	suppressions:
//	  - rule: S3-001
//	    file: web/*.yaml
//	    resource: SiteBucket
//	    reason: public website assets
//	    expires: 2027-01-31
//
// rules resolves rule IDs and aliases. Every entry needs a rule and a reason.
func LoadSuppressionFile(name string, data []byte, rules []*Rule, now time.Time) ([]ExternalSuppression, error) {
	var doc struct {
		Suppressions []yaml.Node `yaml:"suppressions"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	byName := map[string]*Rule{}
	for _, r := range rules {
		for _, n := range r.Names() {
			byName[strings.ToUpper(n)] = r
		}
	}
	var out []ExternalSuppression
	var problems []string
	for _, n := range doc.Suppressions {
		var e ExternalSuppression
		if err := n.Decode(&e); err != nil {
			problems = append(problems, fmt.Sprintf("%s:%d: %v", name, n.Line, err))
			continue
		}
		if err := checkKnownKeys(&n, "rule", "file", "resource", "reason", "expires"); err != nil {
			problems = append(problems, fmt.Sprintf("%s:%d: %v", name, n.Line, err))
			continue
		}
		e.Line = n.Line
		switch r := byName[strings.ToUpper(e.Rule)]; {
		case e.Rule == "":
			problems = append(problems, fmt.Sprintf("%s:%d: suppression names no rule", name, n.Line))
			continue
		case r == nil:
			problems = append(problems, fmt.Sprintf("%s:%d: unknown rule %q", name, n.Line, e.Rule))
			continue
		default:
			e.names = map[string]bool{}
			for _, x := range r.Names() {
				e.names[strings.ToUpper(x)] = true
			}
		}
		if strings.TrimSpace(e.Reason) == "" {
			problems = append(problems, fmt.Sprintf("%s:%d: suppression of %s has no reason", name, n.Line, e.Rule))
			continue
		}
		if e.File != "" {
			if _, err := path.Match(e.File, ""); err != nil {
				problems = append(problems, fmt.Sprintf("%s:%d: bad file pattern %q: %v", name, n.Line, e.File, err))
				continue
			}
		}
		if !e.Expires.IsZero() && now.After(e.Expires) {
			problems = append(problems, fmt.Sprintf("%s:%d: suppression of %s expired on %s", name, n.Line, e.Rule, e.Expires.Format("2006-01-02")))
			continue
		}
		out = append(out, e)
	}
	if len(problems) > 0 {
		return out, fmt.Errorf("%s", strings.Join(problems, "\n"))
	}
	return out, nil
}

func checkKnownKeys(n *yaml.Node, keys ...string) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("a suppression must be a mapping")
	}
	for i := 0; i < len(n.Content); i += 2 {
		k := n.Content[i].Value
		ok := false
		for _, want := range keys {
			ok = ok || k == want
		}
		if !ok {
			return fmt.Errorf("line %d: unknown key %q (want one of %s)", n.Content[i].Line, k, strings.Join(keys, ", "))
		}
	}
	return nil
}

type external struct{ list []*ExternalSuppression }

func newExternal(list []ExternalSuppression) *external {
	e := &external{}
	for i := range list {
		e.list = append(e.list, &list[i])
	}
	return e
}

func (e *external) match(f Finding) (reason string, hit bool) {
	for _, s := range e.list {
		if !s.names[strings.ToUpper(f.Rule)] {
			continue
		}
		if s.Resource != "" && s.Resource != f.Resource && !slices.Contains(f.Related, s.Resource) {
			continue
		}
		if s.File != "" {
			if ok, _ := path.Match(s.File, f.File); !ok {
				continue
			}
		}
		s.used = true
		if !hit {
			reason, hit = s.Reason, true
		}
	}
	return reason, hit
}

func (e *external) unused(file string) []Finding {
	var out []Finding
	for _, s := range e.list {
		if s.used {
			continue
		}
		f := Finding{Rule: SuppressionUnused.ID, Aliases: []string{}, Severity: SuppressionUnused.Severity, File: file,
			Line: s.Line, Column: 1, EndLine: s.Line, EndColumn: 1, Fix: SuppressionUnused.Fix,
			Message: fmt.Sprintf("suppression of %s matches no finding", s.Rule)}
		f.Path = fmt.Sprintf("suppressions[line %d]", s.Line)
		f.Fingerprint = Fingerprint(f.Rule, f.File, s.Rule+"/"+s.File+"/"+s.Resource, "")
		out = append(out, f)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}
