package testdb

import (
	"fmt"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"
)

// QueryCounter counts the SQL statements GORM sends through one handle and
// every session derived from it (db.WithContext, transactions, a Store
// built on it): each statement that reaches GORM's create, query, update,
// delete, row (Raw(…).Scan, Row, Rows) or raw (Exec) callback, one per
// batch of CreateInBatches and one per preload. BEGIN, COMMIT and ROLLBACK
// go to the connection directly and are not counted.
type QueryCounter struct {
	n atomic.Int64
}

var counterSeq atomic.Int64

// CountQueries registers a new counter on db. Callbacks cannot be removed,
// so the counter lives as long as the handle; use Reset or Count to measure
// one call.
func CountQueries(t testing.TB, db *gorm.DB) *QueryCounter {
	t.Helper()
	c := &QueryCounter{}
	name := fmt.Sprintf("testdb:count_statements_%d", counterSeq.Add(1))
	count := func(tx *gorm.DB) {
		// The statement's SQL is built by the main callback and cleared only
		// after every callback ran; empty means nothing was sent (an earlier
		// error, or a no-op).
		if tx.Statement.SQL.Len() > 0 && !tx.DryRun {
			c.n.Add(1)
		}
	}
	cb := db.Callback()
	for _, err := range []error{
		cb.Create().After("gorm:create").Register(name, count),
		cb.Query().After("gorm:query").Register(name, count),
		cb.Update().After("gorm:update").Register(name, count),
		cb.Delete().After("gorm:delete").Register(name, count),
		cb.Row().After("gorm:row").Register(name, count),
		cb.Raw().After("gorm:raw").Register(name, count),
	} {
		if err != nil {
			t.Fatalf("testdb: register the query counter: %v", err)
		}
	}
	return c
}

// N returns the number of statements counted so far.
func (c *QueryCounter) N() int64 { return c.n.Load() }

// Reset sets the count back to zero.
func (c *QueryCounter) Reset() { c.n.Store(0) }

// Count runs f and returns the number of statements it sent. It assumes
// nothing else uses the handle meanwhile.
func (c *QueryCounter) Count(f func()) int64 {
	before := c.n.Load()
	f()
	return c.n.Load() - before
}
