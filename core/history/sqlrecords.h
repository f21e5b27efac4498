#pragma once

#include "history/historyconnection.h"
#include "history/sqlvalues.h"
#include "run/fields.h"

#include <QSqlQuery>
#include <QStringList>
#include <cstdint>
#include <string>
#include <vector>

namespace buildscope::sqlrecords {

// Records stored in a table with the columns run_id, position and one column per
// stored field of the record's field list (run/fields.h), named like the field: the
// same names run.json and the CSV files use.

QVariant toSql(const FieldValue& value);
FieldValue fromSql(const QVariant& value, FieldType type);

template<class Record>
QStringList storedColumns(FieldList<Record> list)
{
    QStringList columns;
    for (const Field<Record>& field : list) {
        if (!field.derived())
            columns << QLatin1String(field.name);
    }
    return columns;
}

template<class Record>
void insert(const HistoryConnection& connection, const char* table, std::int64_t runId, FieldList<Record> list,
    const std::vector<Record>& records)
{
    const QStringList columns = storedColumns(list);
    QStringList placeholders;
    for (const QString& column : columns)
        placeholders << QLatin1Char(':') + column;
    QSqlQuery query = connection.prepare(
        QStringLiteral("INSERT INTO %1 (run_id, position, %2) VALUES (:run_id, :position, %3)")
            .arg(QLatin1String(table), columns.join(QStringLiteral(", ")), placeholders.join(QStringLiteral(", "))));
    for (std::size_t position = 0; position < records.size(); ++position) {
        query.bindValue(QStringLiteral(":run_id"), sqlvalues::fromSigned(runId));
        query.bindValue(QStringLiteral(":position"), sqlvalues::fromUnsigned(position));
        for (const Field<Record>& field : list) {
            if (!field.derived())
                query.bindValue(QLatin1Char(':') + QLatin1String(field.name), toSql(field.get(records[position])));
        }
        connection.exec(query, (std::string("cannot store a row of ") + table).c_str());
    }
}

// A value the field list refuses means the row was not written by BuildScope: the
// store is reported as damaged, naming the table, row and column.
template<class Record>
std::vector<Record> read(const HistoryConnection& connection, const char* table, std::int64_t runId,
    FieldList<Record> list)
{
    const QStringList columns = storedColumns(list);
    QSqlQuery query
        = connection.prepare(QStringLiteral("SELECT %1 FROM %2 WHERE run_id = :run_id ORDER BY position")
                                 .arg(columns.join(QStringLiteral(", ")), QLatin1String(table)));
    query.bindValue(QStringLiteral(":run_id"), sqlvalues::fromSigned(runId));
    connection.exec(query, (std::string("cannot read the ") + table).c_str());
    std::vector<Record> records;
    while (query.next()) {
        Record& record = records.emplace_back();
        int column = 0;
        for (const Field<Record>& field : list) {
            if (field.derived())
                continue;
            const std::string error = field.set(record, fromSql(query.value(column++), field.type));
            if (!error.empty())
                connection.fail("the store is damaged (run " + std::to_string(runId) + ", " + table + " row "
                    + std::to_string(records.size()) + ": '" + field.name + "' " + error + ")");
        }
    }
    return records;
}

} // namespace buildscope::sqlrecords
