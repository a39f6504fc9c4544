package ecs_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/ecs"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestPrivilegedContainer(t *testing.T) {
	scantest.Run(t, "testdata/ECS-001", ecs.PrivilegedContainer)
}
func TestEnvironmentSecret(t *testing.T) { scantest.Run(t, "testdata/ECS-002", ecs.EnvironmentSecret) }
func TestHostNetworkMode(t *testing.T)   { scantest.Run(t, "testdata/ECS-003", ecs.HostNetworkMode) }
func TestServicePublicIP(t *testing.T)   { scantest.Run(t, "testdata/ECS-004", ecs.ServicePublicIP) }
func TestHostPIDMode(t *testing.T)       { scantest.Run(t, "testdata/ECS-005", ecs.HostPIDMode) }
