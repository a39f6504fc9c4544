// Package acm holds the rules for AWS Certificate Manager certificates:
// how their names are validated (e-mail validation, validation domains that
// are not a parent of the name, DNS validation that needs a manual step),
// the names themselves (duplicates, the per-certificate quota, several
// certificates where one would do) and their key and transparency settings.
package acm
