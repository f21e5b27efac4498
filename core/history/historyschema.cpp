#include "history/historyschema.h"

#include "history/historyconnection.h"
#include "history/historytransaction.h"

#include <array>
#include <string>
#include <vector>

namespace buildscope {

namespace {

// Marks the file as a BuildScope store for tools such as `file` (bytes 68-71 of the
// header): "BSht".
constexpr int kApplicationId = 0x42536874;

// Migration N takes the schema from version N-1 to N. Migrations are only ever appended:
// a released migration is never edited, so every store reaches the same schema.
const std::vector<std::vector<const char*>>& migrations()
{
    static const std::vector<std::vector<const char*>> steps {
        // 1: the first schema.
        {
            "CREATE TABLE meta ("
            "  key TEXT PRIMARY KEY,"
            "  value TEXT NOT NULL"
            ") WITHOUT ROWID",

            // Times are nanoseconds since the Unix epoch (UTC); byte counts and counters are
            // the unsigned values' bit patterns (SQLite integers are signed 64-bit).
            "CREATE TABLE runs ("
            "  id INTEGER PRIMARY KEY AUTOINCREMENT," // never reused, so a deleted run's id stays unknown
            "  spec_name TEXT NOT NULL,"
            "  spec_file TEXT NOT NULL,"
            "  context TEXT NOT NULL DEFAULT '',"
            "  status TEXT NOT NULL CHECK (status IN"
            "    ('running', 'succeeded', 'failed', 'cancelled', 'interrupted')),"
            "  failure TEXT NOT NULL DEFAULT '',"
            "  started_at_ns INTEGER NOT NULL,"
            "  ended_at_ns INTEGER," // NULL until the run finishes
            "  sample_hz REAL,"
            "  digest TEXT NOT NULL DEFAULT '',"
            "  image_uri TEXT NOT NULL DEFAULT '',"
            "  host_name TEXT NOT NULL DEFAULT '',"
            "  host_os TEXT NOT NULL DEFAULT '',"
            "  host_cpus INTEGER NOT NULL DEFAULT 0,"
            "  host_memory_bytes INTEGER NOT NULL DEFAULT 0,"
            "  engine_peak_rss_bytes INTEGER NOT NULL DEFAULT 0,"
            "  tree_peak_rss_bytes INTEGER NOT NULL DEFAULT 0,"
            "  heap_tracking INTEGER NOT NULL DEFAULT 0,"
            "  heap_paused INTEGER NOT NULL DEFAULT 0,"
            "  heap_allocations INTEGER NOT NULL DEFAULT 0,"
            "  heap_frees INTEGER NOT NULL DEFAULT 0,"
            "  heap_allocated_bytes INTEGER NOT NULL DEFAULT 0,"
            "  heap_freed_bytes INTEGER NOT NULL DEFAULT 0,"
            "  heap_live_bytes_at_end INTEGER NOT NULL DEFAULT 0,"
            "  heap_snapshot_peak_live_bytes INTEGER NOT NULL DEFAULT 0,"
            "  heap_peak_live_bytes INTEGER NOT NULL DEFAULT 0,"
            "  pid INTEGER," // the recording process; NULL for imported runs
            "  pid_start_ticks INTEGER,"
            "  boot_id TEXT"
            ")",
            "CREATE INDEX runs_by_start ON runs (started_at_ns, id)",
            "CREATE INDEX runs_by_spec ON runs (spec_name, started_at_ns)",
            "CREATE INDEX runs_by_status ON runs (status)",

            "CREATE TABLE labels ("
            "  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
            "  position INTEGER NOT NULL,"
            "  key TEXT NOT NULL,"
            "  value TEXT NOT NULL,"
            "  PRIMARY KEY (run_id, position),"
            "  UNIQUE (run_id, key)"
            ") WITHOUT ROWID",
            "CREATE INDEX labels_by_key_value ON labels (key, value)",

            "CREATE TABLE steps ("
            "  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
            "  position INTEGER NOT NULL,"
            "  name TEXT NOT NULL,"
            "  kind TEXT NOT NULL,"
            "  status TEXT NOT NULL,"
            "  start_s REAL,"
            "  end_s REAL,"
            "  cpu_user_s REAL,"
            "  cpu_sys_s REAL,"
            "  peak_rss_bytes INTEGER NOT NULL,"
            "  peak_is_process_tree INTEGER NOT NULL,"
            "  engine_allocations INTEGER NOT NULL,"
            "  engine_allocated_bytes INTEGER NOT NULL,"
            "  exit_code INTEGER,"
            "  signal INTEGER,"
            "  note TEXT NOT NULL,"
            "  PRIMARY KEY (run_id, position)"
            ") WITHOUT ROWID",

            "CREATE TABLE operations ("
            "  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
            "  position INTEGER NOT NULL,"
            "  name TEXT NOT NULL,"
            "  count INTEGER NOT NULL,"
            "  wall_total_ns INTEGER NOT NULL,"
            "  wall_min_ns INTEGER NOT NULL,"
            "  wall_max_ns INTEGER NOT NULL,"
            "  wall_p50_ns INTEGER NOT NULL,"
            "  wall_p95_ns INTEGER NOT NULL,"
            "  wall_p99_ns INTEGER NOT NULL,"
            "  cpu_timed_count INTEGER NOT NULL,"
            "  cpu_total_ns INTEGER NOT NULL,"
            "  allocations INTEGER NOT NULL,"
            "  allocated_bytes INTEGER NOT NULL,"
            "  PRIMARY KEY (run_id, position)"
            ") WITHOUT ROWID",

            "CREATE TABLE pools ("
            "  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
            "  position INTEGER NOT NULL,"
            "  name TEXT NOT NULL,"
            "  class_bytes INTEGER NOT NULL,"
            "  acquires INTEGER NOT NULL,"
            "  hits INTEGER NOT NULL,"
            "  misses INTEGER NOT NULL,"
            "  releases INTEGER NOT NULL,"
            "  discards INTEGER NOT NULL,"
            "  retained_bytes INTEGER NOT NULL,"
            "  retained_high_water_bytes INTEGER NOT NULL,"
            "  max_retained_bytes INTEGER NOT NULL,"
            "  PRIMARY KEY (run_id, position)"
            ") WITHOUT ROWID",

            // The columns of a run's samples: kind 'series' (name, unit) in value order, then
            // kind 'max' (the series that have a _max column) in maxima order.
            "CREATE TABLE sample_columns ("
            "  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
            "  kind TEXT NOT NULL CHECK (kind IN ('series', 'max')),"
            "  position INTEGER NOT NULL,"
            "  name TEXT NOT NULL,"
            "  unit TEXT NOT NULL DEFAULT '',"
            "  PRIMARY KEY (run_id, kind, position)"
            ") WITHOUT ROWID",

            // One row per samples.csv row; values and maxima are little-endian doubles.
            "CREATE TABLE samples ("
            "  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
            "  seq INTEGER NOT NULL,"
            "  time_s REAL,"
            "  bucket_s REAL,"
            "  samples INTEGER NOT NULL,"
            "  step TEXT NOT NULL,"
            "  value_blob BLOB NOT NULL,"
            "  max_blob BLOB NOT NULL,"
            "  UNIQUE (run_id, seq)"
            ")",

            // Build output is not necessarily UTF-8: the text is kept as bytes.
            "CREATE TABLE log_tail ("
            "  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
            "  position INTEGER NOT NULL,"
            "  sequence INTEGER NOT NULL,"
            "  seconds REAL,"
            "  level TEXT NOT NULL,"
            "  stream TEXT NOT NULL,"
            "  step TEXT NOT NULL,"
            "  text BLOB NOT NULL,"
            "  UNIQUE (run_id, position)"
            ")",
        },
        // 2: steps, operations and pools follow their field lists (run/recordfields.h):
        // the columns carry the names run.json and the CSV files use, and a step that did
        // not run stores no measurements (NULL) rather than zeros.
        {
            "CREATE TABLE steps_v2 ("
            "  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
            "  position INTEGER NOT NULL,"
            "  name TEXT NOT NULL,"
            "  type TEXT NOT NULL,"
            "  status TEXT NOT NULL,"
            "  start_s REAL,"
            "  end_s REAL,"
            "  cpu_user_s REAL,"
            "  cpu_sys_s REAL,"
            "  peak_rss_bytes INTEGER,"
            "  peak_rss_scope TEXT NOT NULL,"
            "  engine_allocations INTEGER,"
            "  engine_allocated_bytes INTEGER,"
            "  exit_code INTEGER,"
            "  signal INTEGER,"
            "  note TEXT NOT NULL,"
            "  PRIMARY KEY (run_id, position)"
            ") WITHOUT ROWID",
            "INSERT INTO steps_v2 SELECT run_id, position, name, kind, status,"
            "  CASE WHEN status IN ('pending', 'not-run') THEN NULL ELSE start_s END,"
            "  CASE WHEN status IN ('pending', 'not-run') THEN NULL ELSE end_s END,"
            "  CASE WHEN status IN ('pending', 'not-run', 'skipped') THEN NULL ELSE cpu_user_s END,"
            "  CASE WHEN status IN ('pending', 'not-run', 'skipped') THEN NULL ELSE cpu_sys_s END,"
            "  CASE WHEN status IN ('pending', 'not-run', 'skipped') THEN NULL ELSE peak_rss_bytes END,"
            "  CASE peak_is_process_tree WHEN 1 THEN 'process_tree' ELSE 'engine' END,"
            "  CASE WHEN status IN ('pending', 'not-run', 'skipped') THEN NULL ELSE engine_allocations END,"
            "  CASE WHEN status IN ('pending', 'not-run', 'skipped') THEN NULL ELSE engine_allocated_bytes END,"
            "  exit_code, signal, note FROM steps",
            "DROP TABLE steps",
            "ALTER TABLE steps_v2 RENAME TO steps",
            "ALTER TABLE pools RENAME COLUMN name TO pool",
        },
        // 3: the process ledger — every process of a run's build, with the columns of its
        // field list (processes.csv), found by key across runs.
        {
            "CREATE TABLE processes ("
            "  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
            "  position INTEGER NOT NULL,"
            "  step TEXT NOT NULL,"
            "  key TEXT NOT NULL,"
            "  pid INTEGER NOT NULL,"
            "  parent_pid INTEGER NOT NULL,"
            "  executable TEXT NOT NULL,"
            "  argv TEXT NOT NULL,"
            "  argv_truncated INTEGER NOT NULL,"
            "  argv_bytes INTEGER NOT NULL,"
            "  cwd TEXT NOT NULL,"
            "  start_s REAL,"
            "  end_s REAL,"
            "  cpu_user_s REAL,"
            "  cpu_sys_s REAL,"
            "  exit_code INTEGER,"
            "  signal INTEGER,"
            "  peak_rss_bytes INTEGER NOT NULL,"
            "  peak_exact INTEGER NOT NULL,"
            "  exec_count INTEGER NOT NULL,"
            "  note TEXT NOT NULL,"
            "  PRIMARY KEY (run_id, position)"
            ") WITHOUT ROWID",
            "CREATE INDEX processes_by_key ON processes (key)",
            // A step's peak is its largest process's (exact with the ledger); the tree's
            // sampled peak has a column of its own.
            "ALTER TABLE steps ADD COLUMN peak_exact INTEGER",
            "ALTER TABLE steps ADD COLUMN tree_peak_rss_bytes INTEGER",
            "UPDATE steps SET peak_exact = 0, tree_peak_rss_bytes = peak_rss_bytes"
            "  WHERE peak_rss_bytes IS NOT NULL AND peak_rss_scope = 'process_tree'",
        },
    };
    return steps;
}

struct StoredVersion
{
    bool isStore = false; // has a meta table
    bool isEmpty = false; // no tables at all
    int version = 0;
};

StoredVersion storedVersion(const HistoryConnection& connection)
{
    StoredVersion stored;
    const int tables = connection
                           .scalar(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = 'table'"),
                               "cannot read the store's tables")
                           .toInt();
    stored.isEmpty = tables == 0;
    stored.isStore = connection
                         .scalar(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                                                "name = 'meta'"),
                             "cannot read the store's tables")
                         .toInt()
        > 0;
    if (!stored.isStore)
        return stored;
    const QVariant value = connection.scalar(
        QStringLiteral("SELECT value FROM meta WHERE key = 'schema_version'"), "cannot read the schema version");
    bool ok = false;
    stored.version = value.toString().toInt(&ok);
    if (!ok || stored.version < 1)
        connection.fail("the store is damaged (its schema version '" + value.toString().toStdString()
            + "' is not a number); it was left as it is");
    return stored;
}

} // namespace

void prepareHistorySchema(const HistoryConnection& connection)
{
    if (migrations().size() != static_cast<std::size_t>(kHistorySchemaVersion))
        connection.fail("internal error: schema version and migrations disagree");
    StoredVersion stored = storedVersion(connection);
    if (!stored.isStore && !stored.isEmpty)
        connection.fail("not a BuildScope history store (an SQLite database without a 'meta' table); it was left "
                        "as it is");
    const std::string current = std::to_string(kHistorySchemaVersion);
    if (stored.version > kHistorySchemaVersion)
        connection.fail("the store was written by a newer BuildScope (schema version " + std::to_string(stored.version)
            + "; this build knows up to " + current
            + "); it is not downgraded: use that BuildScope or another --store");
    if (connection.isReadOnly()) {
        if (stored.isEmpty)
            connection.fail("the store is empty and this user may not write it");
        if (stored.version < kHistorySchemaVersion)
            connection.fail("the store has schema version " + std::to_string(stored.version)
                + " and must be upgraded to " + current + ", which needs write access");
        return;
    }

    // Only now that the file is known to be a store (or empty) may anything be written.
    // auto_vacuum can only be chosen before the first table exists (and not inside a
    // transaction): incremental, so deleting runs can give space back to the file system.
    if (stored.isEmpty)
        connection.exec(QStringLiteral("PRAGMA auto_vacuum = INCREMENTAL"), "cannot set up the store");
    connection.enableWriteAheadLog();
    if (stored.version == kHistorySchemaVersion)
        return;

    HistoryTransaction transaction(connection);
    // Another process may have created or migrated the store while this one waited for
    // the write lock: decide again under the lock.
    stored = storedVersion(connection);
    if (stored.version > kHistorySchemaVersion)
        connection.fail("the store was written by a newer BuildScope (schema version " + std::to_string(stored.version)
            + "); it is not downgraded");
    for (std::size_t next = static_cast<std::size_t>(stored.version); next < migrations().size(); ++next) {
        for (const char* statement : migrations()[next])
            connection.exec(QString::fromUtf8(statement), "cannot migrate the store's schema");
    }
    QSqlQuery setVersion
        = connection.prepare(QStringLiteral("INSERT INTO meta (key, value) VALUES ('schema_version', :version) "
                                            "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
    setVersion.bindValue(QStringLiteral(":version"), QString::fromStdString(current));
    connection.exec(setVersion, "cannot record the schema version");
    connection.exec(QStringLiteral("PRAGMA application_id = %1").arg(kApplicationId), "cannot set up the store");
    transaction.commit();
}

} // namespace buildscope
