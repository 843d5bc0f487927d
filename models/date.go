package models

import (
	"database/sql/driver"
	"fmt"
	"time"

	"github.com/rectibot/rectibot/ledger"
)

// Date is a ledger.Date in a DATE column; the zero Date is NULL. It is
// written as 'YYYY-MM-DD' text, which PostgreSQL casts to date and SQLite
// keeps as text that sorts and compares in date order — so one query text
// works on both.
type Date struct{ ledger.Date }

// DateOf wraps a ledger date.
func DateOf(d ledger.Date) Date { return Date{d} }

// Value implements driver.Valuer.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan implements sql.Scanner for the forms the two drivers return.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case time.Time:
		d.Date = ledger.DateOf(v.UTC())
		return nil
	case string:
		return d.parse(v)
	case []byte:
		return d.parse(string(v))
	default:
		return fmt.Errorf("models.Date: cannot scan %T", src)
	}
}

func (d *Date) parse(s string) error {
	if len(s) >= 10 {
		s = s[:10] // SQLite may hand back "2021-06-30 00:00:00+00:00"
	}
	v, err := ledger.ParseISODate(s)
	if err != nil {
		return fmt.Errorf("models.Date: %w", err)
	}
	d.Date = v
	return nil
}

// GormDataType tells GORM the column type.
func (Date) GormDataType() string { return "date" }
