#!/bin/sh
# Remakes ../release-before-units.db.gz (SQLite) and
# ../release-before-units.pg.sql.gz (PostgreSQL, data only) for
# TestUnitsMigrationOfAReleaseDatabase: the databases the release before
# units (commit 67de44b, schema version 6) leaves after importing the
# Dongguan ledger and ../qinghe-education-2021.csv, which share the leader
# 书记 and the department 机关党委, then linking 书记 to Telegram, writing
# reports, deadline changes and groups through that release's own Store
# (main.go here, built inside the release's tree).
# Needs go, sqlite3, pg_dump, and PGURL: a PostgreSQL server where the
# script may create and drop the database rectibot_release_fixture.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(git -C "$here" rev-parse --show-toplevel)
release=67de44b
pgurl=${PGURL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
pgdb=$(echo "$pgurl" | sed 's|/[^/?]*\([?]\|$\)|/rectibot_release_fixture\1|')
work=$(mktemp -d)
git -C "$repo" worktree add --detach "$work/src" "$release"
trap 'git -C "$repo" worktree remove --force "$work/src"; rm -rf "$work"; psql -q "$pgurl" -c "DROP DATABASE IF EXISTS rectibot_release_fixture"' EXIT
mkdir "$work/src/cmd/fixture"
cp "$here/main.go" "$work/src/cmd/fixture/"
(cd "$work/src" && go build -o "$work/rectibot" ./cmd/rectibot && go build -o "$work/fixture" ./cmd/fixture)

fill() {
	DATABASE_URL=$1 "$work/rectibot" import "$repo/../shared/fixtures/dongguan-2021/ledger.csv" \
		--unit 中共东莞市委政法委员会 --plan-title 东莞市委政法委巡察整改 --team 市委第一巡察组 --feedback-date 2021-08-20
	DATABASE_URL=$1 "$work/rectibot" import "$here/../qinghe-education-2021.csv" \
		--unit 青禾县教育局 --plan-title 青禾县教育局巡察整改 --team 县委第二巡察组 --feedback-date 2021-09-10
	DATABASE_URL=$1 "$work/fixture"
}

fill "sqlite:$work/release.db"
sqlite3 "$work/release.db" 'PRAGMA wal_checkpoint(TRUNCATE); VACUUM;'
gzip -9 -n -c "$work/release.db" >"$here/../release-before-units.db.gz"

psql -q "$pgurl" -c 'DROP DATABASE IF EXISTS rectibot_release_fixture' -c 'CREATE DATABASE rectibot_release_fixture'
fill "$pgdb"
# Data only, in the order of the foreign keys; the test builds the schema
# with goose up to version 6 in a schema of its own, so the dump's settings
# and "public." go.
pg_dump --data-only --column-inserts --no-owner --no-privileges -T goose_db_version -T 'river_*' "$pgdb" |
	sed -e '1,/^INSERT/{/^INSERT/!d}' -e '/^\\/d' -e 's/^INSERT INTO public\./INSERT INTO /' -e "s/setval('public\./setval('/" |
	gzip -9 -n >"$here/../release-before-units.pg.sql.gz"
