package cfn

import (
	"fmt"
)

// Format is the syntax a template was written in, decided by content.
type Format uint8

// The template formats.
const (
	YAML Format = iota
	JSON
)

func (f Format) String() string {
	if f == JSON {
		return "json"
	}
	return "yaml"
}

// Template is one loaded CloudFormation template.
type Template struct {
	File       string // as given by the caller; used in findings
	Format     Format
	Root       *Node
	Transforms []string // names from the Transform section
	Parameters []*Parameter
	Conditions map[string]*Node
	Mappings   *Node
	// Globals is the AWS SAM Globals section, nil when absent. It is kept
	// because SAM copies it into every function, API and table, so a
	// setting written there applies to resources that do not mention it.
	Globals   *Node
	Resources []*Resource
	Outputs   []*Output
	// Problems are errors in the template that did not stop it loading, such
	// as an unknown tag or a duplicate key. They are reported like load
	// errors but the template is still scanned.
	Problems []*Error

	params map[string]*Parameter
	res    map[string]*Resource
}

// Parameter is one entry of the Parameters section.
type Parameter struct {
	Name          string
	Type          string
	Default       *Node // nil when there is none
	AllowedValues []*Node
	NoEcho        bool
	Node          *Node
	KeyStart      Pos
}

// Resource is one entry of the Resources section.
type Resource struct {
	ID         string // logical id
	Type       string
	Node       *Node // the whole resource mapping
	Properties *Node // nil when absent
	Metadata   *Node // nil when absent
	Condition  string
	KeyStart   Pos
	// ForEach names the Fn::ForEach loop the resource was declared in, if any;
	// ID is then the template of the logical id (e.g. "Topic${Name}").
	ForEach string
}

// Output is one entry of the Outputs section.
type Output struct {
	Name       string
	Node       *Node
	Value      *Node
	ExportName *Node // Export.Name, nil when not exported
	Condition  string
	KeyStart   Pos
	// ForEach names the Fn::ForEach loop the output was declared in, if any;
	// Name is then the template of the output name.
	ForEach string
}

// Error is a problem in a template with its position. Line 0 means the
// problem concerns the whole file.
type Error struct {
	File string
	Line int
	Col  int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// Parameter returns the parameter with the given name, or nil.
func (t *Template) Parameter(name string) *Parameter { return t.params[name] }

// Resource returns the resource with the given logical id, or nil.
func (t *Template) Resource(id string) *Resource { return t.res[id] }

// HasTransform reports whether the template names the given transform.
func (t *Template) HasTransform(name string) bool {
	for _, x := range t.Transforms {
		if x == name {
			return true
		}
	}
	return false
}

// IsSAM reports whether the template uses the AWS SAM transform.
func (t *Template) IsSAM() bool { return t.HasTransform("AWS::Serverless-2016-10-31") }
