package cfn_test

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/safetynet-dev/safetynet/cfn"
)

// BenchmarkLoadCorpus loads the whole shared corpus per iteration, on one
// goroutine and on one per CPU, as the scanner does.
func BenchmarkLoadCorpus(b *testing.B) {
	files := MustCorpus(b)
	var size int64
	for _, f := range files {
		size += int64(len(f.data))
	}
	report := func(b *testing.B) {
		b.SetBytes(size)
		b.ReportMetric(float64(len(files))*float64(b.N)/b.Elapsed().Seconds(), "templates/s")
	}
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, f := range files {
				if _, err := cfn.Parse(f.name, f.data); err != nil {
					b.Fatal(err)
				}
			}
		}
		report(b)
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		workers := runtime.GOMAXPROCS(0)
		for b.Loop() {
			var next atomic.Int64
			var wg sync.WaitGroup
			for range workers {
				wg.Go(func() {
					for {
						i := int(next.Add(1)) - 1
						if i >= len(files) {
							return
						}
						if _, err := cfn.Parse(files[i].name, files[i].data); err != nil {
							b.Error(err)
						}
					}
				})
			}
			wg.Wait()
		}
		report(b)
	})
}

// BenchmarkLoadLarge loads one generated 5,000-resource template, in YAML
// and in JSON.
func BenchmarkLoadLarge(b *testing.B) {
	for _, format := range []string{"yaml", "json"} {
		data := largeTemplate(5000, format == "json")
		b.Run(format, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				t, err := cfn.Parse("large."+format, data)
				if err != nil {
					b.Fatal(err)
				}
				if len(t.Resources) != 5000 {
					b.Fatalf("got %d resources", len(t.Resources))
				}
			}
		})
	}
}

func largeTemplate(n int, json bool) []byte {
	var sb strings.Builder
	if json {
		sb.WriteString("{\n  \"AWSTemplateFormatVersion\": \"2010-09-09\",\n  \"Resources\": {\n")
		for i := range n {
			if i > 0 {
				sb.WriteString(",\n")
			}
			fmt.Fprintf(&sb, `    "Bucket%d": {
      "Type": "AWS::S3::Bucket",
      "Properties": {
        "BucketName": {"Fn::Sub": "${AWS::StackName}-bucket-%d"},
        "VersioningConfiguration": {"Status": "Enabled"},
        "Tags": [{"Key": "Index", "Value": %d}, {"Key": "Public", "Value": false}],
        "LoggingConfiguration": {"DestinationBucketName": {"Ref": "Logs"}, "LogFilePrefix": "b%d/"}
      }
    }`, i, i, i, i)
		}
		sb.WriteString("\n  }\n}\n")
		return []byte(sb.String())
	}
	sb.WriteString("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n")
	for i := range n {
		fmt.Fprintf(&sb, `  Bucket%d:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub '${AWS::StackName}-bucket-%d'
      VersioningConfiguration:
        Status: Enabled
      Tags:
        - Key: Index
          Value: %d
        - Key: Public
          Value: no
      LoggingConfiguration:
        DestinationBucketName: !Ref Logs
        LogFilePrefix: b%d/
`, i, i, i, i)
	}
	return []byte(sb.String())
}
