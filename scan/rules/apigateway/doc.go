// Package apigateway holds the rules for API Gateway REST APIs (v1) and
// HTTP and WebSocket APIs (v2): stages and deployments (access logging,
// usage plans, caching, tracing), methods and routes without authorization,
// private APIs without a resource policy, and custom domain names (endpoint
// type against certificate, TLS policy, base path mappings).
package apigateway
