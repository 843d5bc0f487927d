package backup_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/rectibot/rectibot/backup"
	"github.com/rectibot/rectibot/internal/ledgergen"
	"github.com/rectibot/rectibot/internal/testdb"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/scheduler"
)

// openMigrated is a fresh database migrated as rectibot's commands migrate
// it: the ledger's tables and River's.
func openMigrated(b *testing.B) *gorm.DB {
	db, loc := testdb.Open(b)
	if err := scheduler.Migrate(context.Background(), db, loc, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		b.Fatal(err)
	}
	return db
}

// BenchmarkBackupRestore backs up 400 units (10,000 tasks, some 56,000
// rows) and restores them into an empty database, reporting the file's
// size and each step's time:
//
//	go test -run '^$' -bench BackupRestore -benchtime 1x ./backup/
func BenchmarkBackupRestore(b *testing.B) {
	ctx := context.Background()
	src := openMigrated(b)
	spec := ledgergen.UnitsSpec{Units: ledgergen.ComparisonUnits, TasksPerUnit: ledgergen.UnitTasks, AsOf: ledger.MustDate(2021, 9, 14)}
	if _, err := ledgergen.Load(ctx, src, spec, time.Now()); err != nil {
		b.Fatal(err)
	}
	var file bytes.Buffer
	var h backup.Header
	var wrote, restored time.Duration
	for b.Loop() {
		b.StopTimer()
		file.Reset()
		dst := openMigrated(b)
		b.StartTimer()
		began := time.Now()
		var err error
		if h, err = backup.Write(ctx, src, &file, began, nil); err != nil {
			b.Fatal(err)
		}
		mid := time.Now()
		r, err := backup.NewReader(bytes.NewReader(file.Bytes()))
		if err != nil {
			b.Fatal(err)
		}
		if err := backup.Restore(ctx, dst, r, nil); err != nil {
			b.Fatal(err)
		}
		wrote, restored = wrote+mid.Sub(began), restored+time.Since(mid)
	}
	b.ReportMetric(float64(h.Rows()), "rows")
	b.ReportMetric(float64(file.Len())/(1<<20), "MB")
	b.ReportMetric(wrote.Seconds()/float64(b.N), "s/backup")
	b.ReportMetric(restored.Seconds()/float64(b.N), "s/restore")
}
