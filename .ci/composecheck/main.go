// Command composecheck validates deploy/compose.yaml as `docker compose
// config` does, with the loader Docker Compose itself uses (compose-go):
// the Compose Specification's schema, interpolation from the env file,
// normalization and the consistency checks. No Docker engine is needed,
// which is why CI uses it (.ci/image). It then checks what the deployment
// relies on, which a valid file could still get wrong.
//
//	go run . -env-file ../../deploy/env.example ../../deploy/compose.yaml
//
// Exit 0 and the resolved file on stdout, or exit 1 with every problem.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
)

func main() {
	envFile := flag.String("env-file", "", "the file the ${…} of the compose file are read from (Compose's --env-file)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: composecheck [-env-file FILE] COMPOSE_FILE")
		os.Exit(2)
	}
	project, err := load(context.Background(), flag.Arg(0), *envFile)
	if err != nil {
		fmt.Fprintf(os.Stderr, "composecheck: %s: %v\n", flag.Arg(0), err)
		os.Exit(1)
	}
	if problems := check(project); len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintf(os.Stderr, "composecheck: %s: %s\n", flag.Arg(0), p)
		}
		os.Exit(1)
	}
	out, err := project.MarshalYAML()
	if err != nil {
		fmt.Fprintf(os.Stderr, "composecheck: %v\n", err)
		os.Exit(1)
	}
	os.Stdout.Write(out)
}

// load reads the file as `docker compose --env-file ENV -f FILE config` does.
func load(ctx context.Context, file, envFile string) (*types.Project, error) {
	var envFiles []string
	if envFile != "" {
		envFiles = []string{envFile}
	}
	opts, err := cli.NewProjectOptions([]string{file},
		cli.WithWorkingDirectory(filepath.Dir(file)),
		cli.WithEnvFiles(envFiles...),
		cli.WithDotEnv,
		cli.WithInterpolation(true),
		cli.WithResolvedPaths(true),
		cli.WithNormalization(true),
		cli.WithConsistency(true),
	)
	if err != nil {
		return nil, err
	}
	return opts.LoadProject(ctx)
}

// replicas are the two `serve` services of deploy/compose.yaml.
var replicas = []string{"rectibot-1", "rectibot-2"}

// check returns what the deployment needs and the file does not give.
func check(p *types.Project) []string {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	for name, s := range p.Services {
		if s.Restart == "" {
			bad("service %s: no restart policy", name)
		}
		// Compose accepts a wait for a health that is never reported, and
		// then waits for ever at `up`.
		for dep, d := range s.DependsOn {
			if d.Condition == types.ServiceConditionHealthy {
				if hc := p.Services[dep].HealthCheck; hc == nil || hc.Disable || len(hc.Test) == 0 {
					bad("service %s waits for %s to be healthy, which has no healthcheck", name, dep)
				}
			}
		}
		// Only the TLS proxy is reachable from outside: /metrics, /readyz,
		// PostgreSQL and Redis are not for the internet.
		if len(s.Ports) > 0 && name != "caddy" {
			bad("service %s publishes ports %v: only caddy should", name, s.Ports)
		}
	}
	if c, ok := p.Services["caddy"]; !ok || !slices.ContainsFunc(c.Ports, func(pc types.ServicePortConfig) bool { return pc.Published == "443" }) {
		bad("caddy does not publish 443 (Telegram posts webhooks to 443, 80, 88 or 8443)")
	}
	if s, ok := p.Services["postgres"]; !ok || !strings.HasPrefix(s.Image, "postgres:16") {
		bad("no postgres service on PostgreSQL 16")
	}
	if s, ok := p.Services["redis"]; !ok || !strings.HasPrefix(s.Image, "redis:7") {
		bad("no redis service on Redis 7")
	}
	for _, name := range replicas {
		s, ok := p.Services[name]
		if !ok {
			bad("no service %s", name)
			continue
		}
		if !slices.Equal(s.Command, types.ShellCommand{"serve"}) {
			bad("service %s runs %v, not serve", name, s.Command)
		}
		if hc := s.HealthCheck; hc == nil || !slices.Equal(hc.Test, types.HealthCheckTest{"CMD", "/rectibot", "healthcheck"}) {
			bad("service %s: healthcheck is not the binary's own (/rectibot healthcheck)", name)
		}
		for _, dep := range []string{"postgres", "redis"} {
			if d, ok := s.DependsOn[dep]; !ok || d.Condition != types.ServiceConditionHealthy {
				bad("service %s does not wait for %s to be healthy", name, dep)
			}
		}
		for _, v := range []string{"DATABASE_URL", "REDIS_URL", "TELEGRAM_BOT_TOKEN", "RECTIBOT_WEBHOOK_URL", "RECTIBOT_WEBHOOK_SECRET", "RECTIBOT_ADMINS"} {
			if val := s.Environment[v]; val == nil || *val == "" {
				bad("service %s: %s is not set", name, v)
			}
		}
		if u := s.Environment["DATABASE_URL"]; u != nil && !strings.HasPrefix(*u, "postgres://") {
			bad("service %s: replicas share PostgreSQL, DATABASE_URL is not postgres://", name)
		}
	}
	slices.Sort(problems)
	return problems
}
