// Package opensearch holds the rules for OpenSearch Service domains, under
// both their current type (AWS::OpenSearchService::Domain) and the older
// AWS::Elasticsearch::Domain, which share their security properties.
package opensearch

// domainTypes are the two resource types of a search domain. cfn_nag knows
// only the Elasticsearch one; the checks apply to both.
var domainTypes = []string{"AWS::Elasticsearch::Domain", "AWS::OpenSearchService::Domain"}
