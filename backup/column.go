package backup

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/rectibot/rectibot/dburl"
)

// Kind is a column's engine-neutral type, as the file names it.
type Kind string

const (
	KindInt   Kind = "int"       // a 64-bit integer
	KindText  Kind = "text"      // a string
	KindBool  Kind = "bool"      // true or false
	KindDate  Kind = "date"      // YYYY-MM-DD
	KindTime  Kind = "timestamp" // an instant, RFC 3339 in UTC
	KindJSON  Kind = "json"      // a JSON value (River's arguments, tags, errors)
	KindBytes Kind = "bytes"     // base64
)

// storage is how an engine holds a column where that is not the plain
// form of its kind.
type storage int

const (
	plain       storage = iota
	pgEnum              // an enum type, read and written as text
	pgJSON              // json or jsonb, written as text
	pgBits              // bit(n), read and written as an integer
	pgTextArray         // text[] or varchar[], a JSON array of strings in the file
	pgJSONArray         // jsonb[], a JSON array in the file
	sqliteBool          // numeric 0/1
	sqliteJSONB         // a BLOB in SQLite's binary JSONB
)

// column is one column as one engine stores it.
type column struct {
	Name   string
	Kind   Kind
	store  storage
	pgType string // the type to cast to: the enum's, bit(n), json or jsonb
	serial bool   // PostgreSQL: its default is a sequence's next value
}

// selectExpr is how the column is read, so that database/sql hands back a
// plain Go value.
func (c column) selectExpr() string {
	q := quote(c.Name)
	switch c.store {
	case pgEnum, pgJSON:
		return "CAST(" + q + " AS text)"
	case pgBits:
		return "CAST(" + q + " AS integer)"
	case pgTextArray, pgJSONArray:
		return "CAST(to_jsonb(" + q + ") AS text)"
	case sqliteJSONB:
		return "json(" + q + ")"
	}
	return q
}

// insertExpr is the VALUES expression around the column's placeholder p
// (PostgreSQL's $n may appear twice). PostgreSQL's parameters are typed
// text and cast, so the driver never has to encode a string as a date,
// an enum or a bit string.
func (c column) insertExpr(d dburl.Dialect, p string) string {
	text := "CAST(" + p + " AS text)"
	switch c.store {
	case pgEnum, pgJSON:
		return "CAST(" + text + " AS " + c.pgType + ")"
	case pgBits:
		return "CAST(CAST(" + p + " AS integer) AS " + c.pgType + ")"
	case pgTextArray:
		return "CASE WHEN " + text + " IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(CAST(" + text + " AS jsonb))) END"
	case pgJSONArray:
		return "CASE WHEN " + text + " IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements(CAST(" + text + " AS jsonb))) END"
	case sqliteJSONB:
		return "jsonb(" + p + ")"
	}
	if c.Kind == KindDate && d == dburl.Postgres {
		return "CAST(" + text + " AS date)"
	}
	return p
}

// sqliteTimeFormats are the forms SQLite's text timestamps take: the
// driver's (the ledger's, nanoseconds and an offset), River's
// (milliseconds, UTC), and CURRENT_TIMESTAMP's.
var sqliteTimeFormats = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05",
}

// riverTimeFormat is how River writes a time on SQLite (riversqlite's
// timeString): its queries compare these strings, so any other form would
// sort wrong.
const riverTimeFormat = "2006-01-02 15:04:05.000"

// fromDB turns what the driver returned into the neutral value of the
// column's kind: nil, int64, string, bool, time.Time, json.RawMessage or
// []byte.
func (c column) fromDB(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch c.Kind {
	case KindInt:
		if n, ok := v.(int64); ok {
			return n, nil
		}
	case KindText:
		switch s := v.(type) {
		case string:
			return s, nil
		case []byte:
			return string(s), nil
		}
	case KindBool:
		switch b := v.(type) {
		case bool:
			return b, nil
		case int64:
			if b == 0 || b == 1 {
				return b == 1, nil
			}
		}
	case KindDate:
		switch d := v.(type) {
		case time.Time:
			return d.UTC().Format(time.DateOnly), nil
		case string:
			if len(d) >= 10 { // SQLite may keep "2021-06-30 00:00:00+00:00"
				if _, err := time.Parse(time.DateOnly, d[:10]); err == nil {
					return d[:10], nil
				}
			}
		}
	case KindTime:
		switch t := v.(type) {
		case time.Time:
			return t.UTC(), nil
		case string:
			for _, f := range sqliteTimeFormats {
				if p, err := time.ParseInLocation(f, t, time.UTC); err == nil {
					return p.UTC(), nil
				}
			}
		}
	case KindJSON:
		var raw []byte
		switch j := v.(type) {
		case string:
			raw = []byte(j)
		case []byte:
			raw = j
		}
		var buf bytes.Buffer
		if raw != nil && json.Compact(&buf, raw) == nil {
			return json.RawMessage(buf.Bytes()), nil
		}
	case KindBytes:
		if b, ok := v.([]byte); ok {
			return bytes.Clone(b), nil
		}
	}
	return nil, fmt.Errorf("column %s (%s): unexpected value %T %.40v", c.Name, c.Kind, v, v)
}

// toFile is the neutral value as the file writes it.
func toFile(v any) any {
	switch x := v.(type) {
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case []byte:
		return base64.StdEncoding.EncodeToString(x)
	}
	return v
}

// fromFile reads one value of the file as the neutral value of kind k.
func fromFile(k Kind, raw json.RawMessage) (any, error) {
	if string(raw) == "null" {
		return nil, nil
	}
	if k == KindJSON {
		return raw, nil
	}
	if k == KindBool {
		switch string(raw) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return nil, fmt.Errorf("%.40s is not a boolean", raw)
	}
	if k == KindInt {
		n, err := strconv.ParseInt(string(raw), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%.40s is not an integer", raw)
		}
		return n, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("%.40s is not a string", raw)
	}
	switch k {
	case KindText:
		return s, nil
	case KindDate:
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			return nil, fmt.Errorf("%q is not a date", s)
		}
		return s, nil
	case KindTime:
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return nil, fmt.Errorf("%q is not an RFC 3339 time", s)
		}
		return t.UTC(), nil
	case KindBytes:
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return nil, fmt.Errorf("%.40q is not base64", s)
		}
		return b, nil
	}
	return nil, fmt.Errorf("unknown kind %q", k)
}

// param is the neutral value as the target engine's driver takes it for
// insertExpr's placeholder.
func (c column) param(d dburl.Dialect, table string, v any) any {
	switch x := v.(type) {
	case json.RawMessage:
		return string(x)
	case time.Time:
		if d == dburl.SQLite && isRiver(table) {
			return x.UTC().Round(time.Millisecond).Format(riverTimeFormat)
		}
		return x.UTC()
	}
	return v
}
