package models_test

import (
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"

	"github.com/rectibot/rectibot/internal/testdb"
	"github.com/rectibot/rectibot/models"
)

// TestSchemaMatchesModels proves the versioned migrations build the schema
// the GORM models describe: every table, every column, its nullability and
// type family, and the unique indexes.
func TestSchemaMatchesModels(t *testing.T) {
	db, _ := testdb.Open(t)
	cache := &sync.Map{}
	for _, m := range models.All() {
		s, err := schema.Parse(m, cache, db.NamingStrategy)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(s.Table, func(t *testing.T) {
			if !db.Migrator().HasTable(s.Table) {
				t.Fatalf("migrations create no table %s", s.Table)
			}
			cols, err := db.Migrator().ColumnTypes(m)
			if err != nil {
				t.Fatal(err)
			}
			dbCols := map[string]gorm.ColumnType{}
			for _, c := range cols {
				dbCols[c.Name()] = c
			}
			var modelCols []string
			for _, f := range s.Fields {
				if f.DBName == "" {
					continue
				}
				modelCols = append(modelCols, f.DBName)
				c, ok := dbCols[f.DBName]
				if !ok {
					t.Errorf("column %s.%s of the model is not in the migrations", s.Table, f.DBName)
					continue
				}
				if got, want := family(c.DatabaseTypeName()), modelFamily(f); got != want {
					t.Errorf("%s.%s: migration type %s (%s), model wants %s", s.Table, f.DBName, c.DatabaseTypeName(), got, want)
				}
				if nullable, ok := c.Nullable(); ok && !f.PrimaryKey {
					if want := !f.NotNull; nullable != want {
						t.Errorf("%s.%s: nullable=%v in migrations, model says %v", s.Table, f.DBName, nullable, want)
					}
				}
				if f.Unique || uniqueIndexed(s, f) {
					if !hasUniqueIndexOn(t, db, s.Table, f.DBName) {
						t.Errorf("%s.%s: model has a unique index, migrations do not", s.Table, f.DBName)
					}
				}
			}
			for name := range dbCols {
				if !slices.Contains(modelCols, name) {
					t.Errorf("column %s.%s of the migrations is not in the model", s.Table, name)
				}
			}
		})
	}
}

func uniqueIndexed(s *schema.Schema, f *schema.Field) bool {
	for _, idx := range s.ParseIndexes() {
		if idx.Class == "UNIQUE" {
			for _, opt := range idx.Fields {
				if opt.DBName == f.DBName {
					return true
				}
			}
		}
	}
	return false
}

func hasUniqueIndexOn(t *testing.T, db *gorm.DB, table, column string) bool {
	t.Helper()
	indexes, err := db.Migrator().GetIndexes(table)
	if err != nil {
		t.Fatal(err)
	}
	for _, idx := range indexes {
		unique, _ := idx.Unique()
		if unique && slices.Contains(idx.Columns(), column) {
			return true
		}
	}
	// A single-column UNIQUE constraint shows up as a unique column.
	cols, _ := db.Migrator().ColumnTypes(table)
	for _, c := range cols {
		if c.Name() == column {
			if u, ok := c.Unique(); ok && u {
				return true
			}
		}
	}
	return false
}

// family folds the engines' type names into what the models can tell apart.
func family(dbType string) string {
	t := strings.ToLower(dbType)
	switch {
	case strings.Contains(t, "int") || t == "bigserial":
		return "int"
	case t == "bool" || t == "boolean" || t == "numeric":
		return "bool"
	case t == "date":
		return "date"
	case strings.Contains(t, "time"):
		return "time"
	case strings.Contains(t, "text") || strings.Contains(t, "char"):
		return "text"
	}
	return t
}

func modelFamily(f *schema.Field) string {
	switch f.DataType {
	case schema.Int, schema.Uint:
		return "int"
	case schema.Bool:
		return "bool"
	case schema.Time:
		return "time"
	case schema.String:
		return "text"
	case "date":
		return "date"
	}
	return string(f.DataType)
}

func TestMigrateTwiceIsANoop(t *testing.T) {
	db, loc := testdb.Open(t)
	if err := models.Migrate(t.Context(), db, loc, nil); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	var tables []string
	for _, m := range models.All() {
		s, _ := schema.Parse(m, &sync.Map{}, db.NamingStrategy)
		tables = append(tables, s.Table)
	}
	sort.Strings(tables)
	if len(tables) != 25 {
		t.Fatalf("models.All lists %d tables, want 25", len(tables))
	}
}
