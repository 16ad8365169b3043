// Command ferretdb runs an embedded FerretDB (PostgreSQL backend) as the local
// MongoDB-wire server. A plain `go install` of FerretDB's own command panics
// without its build-time version file; embedding the library avoids that.
//
// PostgreSQL, not SQLite: FerretDB 1.24's SQLite backend never uses an index
// for `_id` (every lookup scans the table) and pushes no other filter down.
package main

import (
	"context"
	"flag"
	"log"
	"log/slog"
	"net/http"
	_ "net/http/pprof"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen-addr", envOr("FERRETDB_LISTEN_ADDR", "127.0.0.1:27017"), "TCP address to listen on")
	pgURL := flag.String("postgresql-url", envOr("FERRETDB_POSTGRESQL_URL", "postgres://postgres@127.0.0.1:5432/ferretdb"), "PostgreSQL database that holds the data")
	pprofAddr := flag.String("pprof-addr", os.Getenv("FERRETDB_PPROF_ADDR"), "if set, serve Go's pprof on this address (for profiling)")
	flag.Parse()

	if *pprofAddr != "" {
		go func() { log.Printf("pprof: %v", http.ListenAndServe(*pprofAddr, nil)) }()
	}

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:      ferretdb.ListenerConfig{TCP: *listen},
		Logger:        logger,
		Handler:       "postgresql",
		PostgreSQLURL: *pgURL,
	})
	if err != nil {
		log.Fatalf("ferretdb: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	log.Printf("ferretdb listening on %s, data in %s", *listen, *pgURL)
	f.Run(ctx)
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
