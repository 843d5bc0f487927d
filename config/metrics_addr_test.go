package config

import (
	"strings"
	"testing"
)

func TestMetricsAddrIsOptionalAndValidated(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	c, err := Load(env(nil))
	if err != nil || c.MetricsAddr != "" {
		t.Fatalf("unset: %q, %v; want metrics on the main listener", c.MetricsAddr, err)
	}
	c, err = Load(env(map[string]string{"RECTIBOT_METRICS_ADDR": " 127.0.0.1:9091 "}))
	if err != nil || c.MetricsAddr != "127.0.0.1:9091" {
		t.Fatalf("set: %q, %v", c.MetricsAddr, err)
	}
	for _, tc := range []struct{ addr, want string }{
		{"9091", `RECTIBOT_METRICS_ADDR: "9091": expected host:port`},
		{"127.0.0.1:8080", "RECTIBOT_METRICS_ADDR: \"127.0.0.1:8080\" is RECTIBOT_HTTP_ADDR too"},
	} {
		_, err := Load(env(map[string]string{"RECTIBOT_METRICS_ADDR": tc.addr}))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v; want %s", tc.addr, err, tc.want)
		}
	}
}
