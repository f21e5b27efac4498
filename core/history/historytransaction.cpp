#include "history/historytransaction.h"

#include "history/historyconnection.h"

namespace buildscope {

HistoryTransaction::HistoryTransaction(const HistoryConnection& connection)
    : m_connection(connection)
{
    if (connection.isReadOnly())
        connection.fail("the store is read-only (this user may not write it); runs cannot be recorded, imported "
                        "or deleted");
    // Never a write into a damaged store: checked before the connection's first write.
    connection.checkIntegrity();
    connection.exec(QStringLiteral("BEGIN IMMEDIATE"), "cannot start a transaction");
    m_open = true;
}

HistoryTransaction::~HistoryTransaction()
{
    if (!m_open)
        return;
    // Best effort: a failed rollback (e.g. the connection is gone) leaves SQLite to roll
    // the transaction back when the connection closes; a destructor must not throw.
    m_connection.execQuietly(QStringLiteral("ROLLBACK"));
}

void HistoryTransaction::commit()
{
    m_connection.exec(QStringLiteral("COMMIT"), "cannot commit");
    m_open = false;
}

} // namespace buildscope
