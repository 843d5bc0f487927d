package models_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/internal/testdb"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

var explainSeq atomic.Int64

// explainUnitDigest prints PostgreSQL's plan (EXPLAIN ANALYZE) of each
// query one unit's digest runs, to see that it reads the unit's rows
// through indexes rather than the whole ledger.
func explainUnitDigest(b *testing.B, e *unitEnv, r ledger.Reach) {
	b.Helper()
	if testdb.Kind() != dburl.Postgres {
		return
	}
	db := e.store.DB()
	var sqls []string
	capturing := false
	capture := func(tx *gorm.DB) {
		if capturing && tx.Statement.SQL.Len() > 0 {
			sqls = append(sqls, tx.Dialector.Explain(tx.Statement.SQL.String(), tx.Statement.Vars...))
		}
	}
	name := "bench:explain_" + string(rune('a'+explainSeq.Add(1)))
	if err := db.Callback().Raw().After("gorm:raw").Register(name, capture); err != nil {
		b.Fatal(err)
	}
	if err := db.Callback().Row().After("gorm:row").Register(name, capture); err != nil {
		b.Fatal(err)
	}
	capturing = true
	_, err := e.store.Digest(context.Background(), models.DigestFilter{Reach: &r}, benchAsOf, ledger.DefaultLightThresholds)
	capturing = false
	if err != nil {
		b.Fatal(err)
	}
	for _, q := range sqls {
		var lines []string
		if err := db.Raw("EXPLAIN (ANALYZE, BUFFERS) " + q).Scan(&lines).Error; err != nil {
			b.Fatal(err)
		}
		say("EXPLAIN %s\n%s", strings.Join(strings.Fields(q), " "), strings.Join(lines, "\n"))
	}
}
