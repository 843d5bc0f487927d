package tgfake

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// maxUpload is Telegram's 50 MB limit for files a bot uploads; the request
// may be a little larger for the other fields.
const maxUpload = 50 << 20

// params are a request's fields, whichever of Telegram's three encodings
// (multipart, JSON, url-encoded; or the query string) carried them.
// Non-string JSON values are kept as their JSON text, so reply_markup given
// as an object reads the same as reply_markup given as a string.
type params struct {
	vals  map[string]string
	files map[string]upload
}

type upload struct {
	name string
	data []byte
}

func readParams(w http.ResponseWriter, r *http.Request) (*params, *apiError) {
	p := &params{vals: map[string]string{}, files: map[string]upload{}}
	for k, v := range r.URL.Query() {
		p.vals[k] = v[0]
	}
	if r.Body == nil {
		return p, nil
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload+1<<20)
	// Read the body to its end even past the closing multipart boundary:
	// only then does net/http watch the connection and cancel r.Context()
	// when a long-polling client goes away.
	defer func() { _, _ = io.Copy(io.Discard, r.Body) }()
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var err error
	switch ct {
	case "multipart/form-data":
		err = p.readMultipart(r)
	case "application/json":
		err = p.readJSON(r.Body)
	case "application/x-www-form-urlencoded":
		if err = r.ParseForm(); err == nil {
			for k, v := range r.PostForm {
				p.vals[k] = v[0]
			}
		}
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return p, &apiError{Code: 413, Desc: "Request Entity Too Large"}
	case err != nil:
		return p, badRequest("can't parse request body: %v", err)
	}
	return p, nil
}

func (p *params) readMultipart(r *http.Request) error {
	mr, err := r.MultipartReader()
	if err != nil {
		return err
	}
	for {
		part, err := mr.NextPart()
		// go-telegram/bot sends parameterless calls (getMe) as an empty
		// body under a multipart Content-Type: that reads as io.EOF.
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return err
		}
		if part.FileName() != "" {
			p.files[part.FormName()] = upload{name: part.FileName(), data: data}
		} else {
			p.vals[part.FormName()] = string(data)
		}
	}
}

func (p *params) readJSON(body io.Reader) error {
	var obj map[string]json.RawMessage
	if err := json.NewDecoder(body).Decode(&obj); err != nil {
		return err
	}
	for k, raw := range obj {
		var s string
		switch {
		case string(raw) == "null":
		case json.Unmarshal(raw, &s) == nil:
			p.vals[k] = s
		default:
			p.vals[k] = string(raw)
		}
	}
	return nil
}

func (p *params) str(name string) string { return p.vals[name] }

func (p *params) has(name string) bool {
	_, ok := p.vals[name]
	return ok
}

// int reads an optional integer field: (0, nil) when absent.
func (p *params) int(name string) (int64, *apiError) {
	v, ok := p.vals[name]
	if !ok || v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil {
		return 0, badRequest("field \"%s\" must be of type Integer", name)
	}
	return n, nil
}

func (p *params) bool(name string) bool {
	b, _ := strconv.ParseBool(p.vals[name])
	return b
}

// chatIDHint is the numeric chat_id of a request, for the rejection log.
func (p *params) chatIDHint() int64 {
	if p == nil {
		return 0
	}
	n, _ := strconv.ParseInt(p.vals["chat_id"], 10, 64)
	return n
}
