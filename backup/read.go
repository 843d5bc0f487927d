package backup

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
)

// ErrRefused is matched (errors.Is) by every error of a file or target a
// restore refuses before anything is kept: not a backup, damaged or cut, a
// schema version this binary does not restore, a target that holds a
// ledger.
var ErrRefused = errors.New("refused")

type refusal struct{ err error }

func (r refusal) Error() string        { return r.err.Error() }
func (r refusal) Unwrap() error        { return r.err }
func (refusal) Is(target error) bool   { return target == ErrRefused }
func refuse(f string, a ...any) error  { return refusal{fmt.Errorf(f, a...)} }
func damaged(f string, a ...any) error { return refuse("the file is damaged: "+f, a...) }

// Reader reads a backup file: the header at once, then table after table.
type Reader struct {
	header  Header
	dec     *json.Decoder
	table   int   // index in header.Tables of the current section, -1 before the first
	rows    int64 // rows read of the current section
	columns []FileColumn
	next    json.RawMessage // an object read while looking for a row
	done    bool
}

// NewReader reads and checks the header. It refuses what is not a backup
// or is of a newer format.
func NewReader(r io.Reader) (*Reader, error) {
	zr, err := gzip.NewReader(bufio.NewReader(r))
	if err != nil {
		return nil, refuse("not a rectibot backup (not gzip: %w)", err)
	}
	dec := json.NewDecoder(zr)
	dec.UseNumber()
	var h Header
	if err := dec.Decode(&h); err != nil || h.Format != Format {
		return nil, refuse("not a rectibot backup (no %s header)", Format)
	}
	if h.Version > Version || h.Version < 1 {
		return nil, refuse("backup format version %d: this rectibot reads version %d (a newer rectibot made it)", h.Version, Version)
	}
	for _, t := range h.Tables {
		if !slices.Contains(Tables, t.Name) {
			return nil, refuse("the backup holds table %s, which this rectibot does not know (a newer rectibot made it)", t.Name)
		}
	}
	return &Reader{header: h, dec: dec, table: -1}, nil
}

// Header is the file's header.
func (r *Reader) Header() Header { return r.header }

// decode reads the next JSON value; the end of the stream before the end
// object is a cut file.
func (r *Reader) decode() (json.RawMessage, error) {
	var raw json.RawMessage
	if err := r.dec.Decode(&raw); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, damaged("it ends before its end mark (cut short?)")
		}
		return nil, damaged("%w", err)
	}
	return raw, nil
}

// NextTable moves to the next table's rows and returns its name and
// columns; io.EOF after the last, once the end mark was read and every
// count matched.
func (r *Reader) NextTable() (string, []FileColumn, error) {
	if r.done {
		return "", nil, io.EOF
	}
	if r.table >= 0 {
		// Skip what the caller left of the current table.
		for {
			if _, err := r.Row(); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				return "", nil, err
			}
		}
	}
	raw := r.next
	r.next = nil
	if raw == nil {
		var err error
		if raw, err = r.decode(); err != nil {
			return "", nil, err
		}
	}
	if r.table+1 == len(r.header.Tables) {
		var t trailer
		if err := json.Unmarshal(raw, &t); err != nil || !t.End {
			return "", nil, damaged("expected its end mark after table %s", r.header.Tables[r.table].Name)
		}
		if t.Rows != r.header.Rows() {
			return "", nil, damaged("its end mark counts %d rows, its header %d", t.Rows, r.header.Rows())
		}
		r.done = true
		return "", nil, io.EOF
	}
	r.table++
	want := r.header.Tables[r.table].Name
	var s section
	if err := json.Unmarshal(raw, &s); err != nil || s.Table != want {
		return "", nil, damaged("expected table %s", want)
	}
	for _, c := range s.Columns {
		switch c.Kind {
		case KindInt, KindText, KindBool, KindDate, KindTime, KindJSON, KindBytes:
		default:
			return "", nil, damaged("table %s: column %s of unknown kind %q", want, c.Name, c.Kind)
		}
	}
	r.columns, r.rows = s.Columns, 0
	return want, s.Columns, nil
}

// Row returns the next row of the current table as neutral values in
// column order (nil, int64, string, bool, time.Time, json.RawMessage,
// []byte); io.EOF at the table's end, once its count matched.
func (r *Reader) Row() ([]any, error) {
	if r.table < 0 || r.next != nil || r.done {
		return nil, io.EOF
	}
	name := r.header.Tables[r.table].Name
	raw, err := r.decode()
	if err != nil {
		return nil, err
	}
	if len(raw) > 0 && raw[0] == '{' {
		r.next = raw
		if want := r.header.Tables[r.table].Rows; r.rows != want {
			return nil, damaged("table %s has %d rows, its header says %d", name, r.rows, want)
		}
		return nil, io.EOF
	}
	var vals []json.RawMessage
	if err := json.Unmarshal(raw, &vals); err != nil || len(vals) != len(r.columns) {
		return nil, damaged("table %s, row %d: not a row of %d values", name, r.rows+1, len(r.columns))
	}
	out := make([]any, len(vals))
	for i, v := range vals {
		if out[i], err = fromFile(r.columns[i].Kind, v); err != nil {
			return nil, damaged("table %s, row %d, column %s: %w", name, r.rows+1, r.columns[i].Name, err)
		}
	}
	r.rows++
	return out, nil
}
