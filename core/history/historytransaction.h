#pragma once

namespace buildscope {

class HistoryConnection;

// A write transaction on the store: BEGIN IMMEDIATE takes the write lock at once (waiting
// up to the busy timeout), so a transaction never fails half-way for want of the lock, and
// anything not committed is rolled back when the scope ends, also on an exception.
class HistoryTransaction
{
public:
    explicit HistoryTransaction(const HistoryConnection& connection);
    ~HistoryTransaction();
    HistoryTransaction(const HistoryTransaction&) = delete;
    HistoryTransaction& operator=(const HistoryTransaction&) = delete;

    void commit();

private:
    const HistoryConnection& m_connection;
    bool m_open = false;
};

} // namespace buildscope
