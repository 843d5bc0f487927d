package main

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/rectibot/rectibot/internal/tgfake"
)

// TestServeReachesTelegramThroughHTTPSProxy is README's "where Telegram is
// blocked": `rectibot serve` with HTTPS_PROXY and the public API address
// sends an officer's reminder through a CONNECT proxy. The proxy carries
// the tunnel for api.telegram.org:443 to the strict fake, served over TLS
// with a certificate for api.telegram.org that the child trusts through
// SSL_CERT_FILE. Without the proxy honoured the child would try the real
// Telegram, which this machine cannot reach, and nothing would be sent.
func TestServeReachesTelegramThroughHTTPSProxy(t *testing.T) {
	e := newFaultEnv(t, tgfake.Options{})
	certFile, tlsCfg := telegramCertificate(t)
	api := httptest.NewUnstartedServer(e.fake)
	api.TLS = tlsCfg
	api.StartTLS()
	t.Cleanup(api.Close)
	proxy := newConnectProxy(t, api.Listener.Addr().String())

	_, names := e.importOverdue(1)
	e.link(names, 0)
	p := e.serve("behind-proxy", map[string]string{
		"TELEGRAM_API_URL": "https://api.telegram.org",
		"HTTPS_PROXY":      "http://" + proxy.addr(),
		"SSL_CERT_FILE":    certFile,
	})
	e.waitSent(1, time.Minute, p)
	p.stop(t)

	if got := proxy.targets(); !slices.Contains(got, "api.telegram.org:443") {
		t.Fatalf("the proxy was asked to CONNECT to %v, want api.telegram.org:443", got)
	}
	if e.fake.Calls("getMe") == 0 {
		t.Error("the bot never asked Telegram who it is through the proxy")
	}
}

// telegramCertificate makes a self-signed certificate for api.telegram.org
// and writes it where SSL_CERT_FILE can name it.
func telegramCertificate(t *testing.T) (string, *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "api.telegram.org"},
		DNSNames:  []string{"api.telegram.org"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true,
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "telegram-ca.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
}

// connectProxy is the smallest HTTP CONNECT proxy: every tunnel, whatever
// host it names, goes to upstream; it records the hosts asked for.
type connectProxy struct {
	ln       net.Listener
	upstream string
	mu       sync.Mutex
	asked    []string
}

func newConnectProxy(t *testing.T, upstream string) *connectProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &connectProxy{ln: ln, upstream: upstream}
	go p.accept()
	t.Cleanup(func() { _ = ln.Close() })
	return p
}

func (p *connectProxy) addr() string { return p.ln.Addr().String() }

func (p *connectProxy) targets() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.asked)
}

func (p *connectProxy) accept() {
	for {
		conn, err := p.ln.Accept()
		if err != nil {
			return
		}
		go p.tunnel(conn)
	}
}

func (p *connectProxy) tunnel(client net.Conn) {
	defer client.Close()
	req, err := http.ReadRequest(bufio.NewReader(client))
	if err != nil {
		return
	}
	if req.Method != http.MethodConnect {
		_, _ = io.WriteString(client, "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
		return
	}
	p.mu.Lock()
	p.asked = append(p.asked, req.Host)
	p.mu.Unlock()
	up, err := net.Dial("tcp", p.upstream)
	if err != nil {
		_, _ = io.WriteString(client, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
		return
	}
	defer up.Close()
	// The client sends nothing more before this answer, so the reader
	// above buffered nothing that would be lost.
	if _, err := io.WriteString(client, "HTTP/1.1 200 Connection established\r\n\r\n"); err != nil {
		return
	}
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(up, client); done <- struct{}{} }()
	go func() { _, _ = io.Copy(client, up); done <- struct{}{} }()
	<-done
}
