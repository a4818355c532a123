// Command etcd is etcd's server, built from its Go module for scripts/kubernetes.sh.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
