package models_test

import (
	"context"
	"fmt"
	"os"
	"time"
	"testing"

	"gorm.io/gorm"

	"github.com/rectibot/rectibot/internal/testdb"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

func TestZZExplainOverview(t *testing.T) {
	if os.Getenv("ZZ_EXPLAIN") == "" {
		t.Skip()
	}
	db, _ := testdb.Open(t)
	seedOverviewUnits(t, db, 10000)
	for _, q := range extraQueries {
		for range 3 {
			start := time.Now()
			rows, err := db.Raw(q).Rows()
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for rows.Next() {
				n++
			}
			rows.Close()
			fmt.Printf("extra: %d rows in %v\n", n, time.Since(start))
		}
	}
	var sqls []string
	capture := func(tx *gorm.DB) {
		if tx.Statement.SQL.Len() > 0 {
			sqls = append(sqls, tx.Dialector.Explain(tx.Statement.SQL.String(), tx.Statement.Vars...))
		}
	}
	_ = db.Callback().Raw().After("gorm:raw").Register("zz", capture)
	_ = db.Callback().Row().After("gorm:row").Register("zz", capture)
	_ = db.Callback().Query().After("gorm:query").Register("zz", capture)
	store := models.NewStore(db, benchClock())
	if _, err := store.Overview(context.Background(), benchAsOf, nil, ledger.DefaultLightThresholds); err != nil {
		t.Fatal(err)
	}
	got := append([]string(nil), sqls...)
	for _, q := range got {
		for range 3 {
			start := time.Now()
			rows, err := db.Raw(q).Rows()
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for rows.Next() {
				n++
			}
			rows.Close()
			fmt.Printf("%d rows in %v\n", n, time.Since(start))
		}
		if os.Getenv("ZZ_EXPLAIN") != "2" {
			continue
		}
		var lines []string
		if err := db.Raw("EXPLAIN (ANALYZE, BUFFERS) " + q).Scan(&lines).Error; err != nil {
			t.Fatal(err)
		}
		fmt.Println(q)
		for _, l := range lines {
			fmt.Println(l)
		}
		fmt.Println("-----")
	}
}

var extraQueries = []string{
	"SELECT plan_id, COUNT(*) FROM tasks GROUP BY plan_id",
	"SELECT pl.unit_id, COUNT(*) FROM tasks t JOIN plans pl ON pl.id = t.plan_id GROUP BY pl.unit_id",
	"SELECT task_id, MAX(created_at) FROM progress_entries WHERE source <> 'import' GROUP BY task_id",
	"SELECT t.plan_id, MAX(p.created_at) FROM progress_entries p JOIN tasks t ON t.id = p.task_id WHERE p.source <> 'import' GROUP BY t.plan_id",
}
