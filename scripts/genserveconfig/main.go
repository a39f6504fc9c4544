// Command genserveconfig prints a serve configuration with many HTTP checks
// against one target, for scripts/load-serve.sh.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	n := flag.Int("n", 10000, "number of HTTP checks")
	perComponent := flag.Int("per-component", 100, "checks per component")
	target := flag.String("target", "http://127.0.0.1:18081/health", "URL every check calls")
	interval := flag.String("interval", "60s", "check interval")
	dsn := flag.String("dsn", "load.db", "storage DSN")
	listen := flag.String("listen", "127.0.0.1:18080", "server address")
	public := flag.Bool("public", false, "show the components on the public status page, in groups of ten")
	flag.Parse()

	w := os.Stdout
	fmt.Fprintf(w, "server:\n  listen: %s\nstorage:\n  dsn: %s\ncomponents:\n", *listen, *dsn)
	comps := (*n + *perComponent - 1) / *perComponent
	for c := 0; c < comps; c++ {
		fmt.Fprintf(w, "  - id: svc-%d\n    name: Service %d\n", c, c)
		if *public {
			fmt.Fprintf(w, "    group: Group %d\n    public: true\n", c/10)
		}
	}
	fmt.Fprintf(w, "checks:\n")
	for i := 0; i < *n; i++ {
		// A query string makes each check a distinct URL, as real
		// instances would be, while one target process answers them all.
		fmt.Fprintf(w, "  - id: c-%d\n    component: svc-%d\n    kind: http\n    target: %s?instance=%d\n    interval: %s\n    timeout: 10s\n    conditions: [\"[STATUS] == 200\"]\n",
			i, i / *perComponent, *target, i, *interval)
	}
}
