package sagemaker_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/sagemaker"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestEndpointConfigNoKMSKey(t *testing.T) {
	scantest.Run(t, "testdata/SAGEMAKER-001", sagemaker.EndpointConfigNoKMSKey)
}
func TestNotebookNoKMSKey(t *testing.T) {
	scantest.Run(t, "testdata/SAGEMAKER-002", sagemaker.NotebookNoKMSKey)
}
func TestNotebookDirectInternetAccess(t *testing.T) {
	scantest.Run(t, "testdata/SAGEMAKER-003", sagemaker.NotebookDirectInternetAccess)
}
func TestNotebookRootAccess(t *testing.T) {
	scantest.Run(t, "testdata/SAGEMAKER-004", sagemaker.NotebookRootAccess)
}
func TestModelNoNetworkIsolation(t *testing.T) {
	scantest.Run(t, "testdata/SAGEMAKER-005", sagemaker.ModelNoNetworkIsolation)
}
