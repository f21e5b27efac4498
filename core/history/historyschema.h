#pragma once

namespace buildscope {

class HistoryConnection;

// The store's schema version; docs/HISTORY.md lists the tables of each version.
inline constexpr int kHistorySchemaVersion = 3;

// Brings a freshly opened store to kHistorySchemaVersion: creates the tables in a new
// (empty) file, applies the migrations from the stored version in one transaction, and
// refuses a store written by a newer schema (never downgraded), a database that is not a
// BuildScope store, and an old store that would need a migration but is read-only.
void prepareHistorySchema(const HistoryConnection& connection);

} // namespace buildscope
