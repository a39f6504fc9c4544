// Package ecs holds the rules for Amazon ECS task definitions and
// services.
package ecs
