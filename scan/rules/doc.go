// Package rules is the registry of every rule safetynet knows: All lists
// them and Lookup finds one by ID or alias. The rules themselves live in one
// package per AWS service below this one, each rule in its own file with
// its fixtures in testdata/<RULE-ID>; shared helpers for walking properties
// and policy documents are under internal/.
//
// Adding a rule touches two places: its file (with fixtures) and the
// registry list in rules.go. The catalogue test checks the metadata of
// every registered rule and runs its fixtures.
package rules
