package scheduler

import (
	"encoding/json"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/rectibot/rectibot/internal/testdb"
	"github.com/rectibot/rectibot/schedule"
)

func TestNotifyArgsEncodeTheWindowInUTC(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))
	a, _ := json.Marshal(NotifyArgs{PersonID: 1, Window: at})
	b, _ := json.Marshal(NotifyArgs{PersonID: 1, Window: at.UTC()})
	if string(a) != string(b) || string(a) != `{"person_id":1,"window":"2026-03-02T01:00:00Z"}` {
		t.Fatalf("%s vs %s", a, b)
	}
	var back NotifyArgs
	if err := json.Unmarshal(a, &back); err != nil || !back.Window.Equal(at) {
		t.Fatalf("round trip: %+v, %v", back, err)
	}
}

func TestDigestPeriodicJob(t *testing.T) {
	if _, err := DigestPeriodicJob(schedule.DefaultSettings(nil), time.UTC); err != nil {
		t.Fatal(err)
	}
	if _, err := DigestPeriodicJob(schedule.Settings{DigestSchedule: "not cron"}, time.UTC); err == nil {
		t.Fatal("a bad schedule: no error")
	}
}

// SQLTx finds the *sql.Tx under GORM's plain and prepared-statement
// transactions and savepoints, and refuses a handle outside a transaction.
func TestSQLTx(t *testing.T) {
	db, _ := testdb.Open(t)
	for _, h := range []*gorm.DB{db, db.Session(&gorm.Session{PrepareStmt: true})} {
		err := h.Transaction(func(tx *gorm.DB) error {
			outer, err := SQLTx(tx)
			if err != nil {
				return err
			}
			return tx.Transaction(func(sp *gorm.DB) error {
				inner, err := SQLTx(sp)
				if err == nil && inner != outer {
					t.Error("a savepoint has another *sql.Tx")
				}
				return err
			})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := SQLTx(db); err == nil {
		t.Fatal("outside a transaction: no error")
	}
}
