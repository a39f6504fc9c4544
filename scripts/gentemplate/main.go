// Command gentemplate prints a synthetic template with N resources, for
// scripts/bench-cli.sh.
package main

import (
	"fmt"
	"os"
	"strconv"

	"github.com/safetynet-dev/safetynet/internal/gentemplate"
)

func main() {
	n := 5000
	if len(os.Args) > 1 {
		v, err := strconv.Atoi(os.Args[1])
		if err != nil {
			fmt.Fprintln(os.Stderr, "usage: gentemplate [resources]")
			os.Exit(2)
		}
		n = v
	}
	os.Stdout.Write(gentemplate.Generate(n))
}
