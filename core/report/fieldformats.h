#pragma once

#include "report/csvwriter.h"
#include "run/fields.h"

#include <QJsonObject>
#include <QJsonValue>
#include <string>

namespace buildscope {

// A record's fields as JSON and CSV, following its field list (run/fields.h).

QJsonValue toJsonValue(const FieldValue& value);
// JSON types map to field values; arrays and objects are refused with a message.
std::string fromJsonValue(const QJsonValue& json, FieldValue& out);

template<class Record>
QJsonObject toJsonObject(FieldList<Record> list, const Record& record)
{
    QJsonObject object;
    for (const Field<Record>& field : list)
        object[QLatin1String(field.name)] = toJsonValue(exportValue(field, record));
    return object;
}

// Reads every stored field; returns "" or "'<field>' <why>". A missing field is an
// error unless the field may be null.
template<class Record>
std::string fromJsonObject(FieldList<Record> list, const QJsonObject& object, Record& record)
{
    for (const Field<Record>& field : list) {
        if (field.derived())
            continue;
        const QJsonValue json = object.value(QLatin1String(field.name));
        if (json.isUndefined() && !field.nullable)
            return std::string("missing '") + field.name + "'";
        FieldValue value;
        std::string error = fromJsonValue(json, value);
        if (error.empty())
            error = field.set(record, value);
        if (!error.empty())
            return std::string("'") + field.name + "' " + error;
    }
    return {};
}

template<class Record>
void writeCsvHeader(CsvWriter& csv, FieldList<Record> list)
{
    for (const Field<Record>& field : list)
        csv.field(field.name);
    csv.endRow();
}

template<class Record>
void writeCsvRecord(CsvWriter& csv, FieldList<Record> list, const Record& record)
{
    for (const Field<Record>& field : list)
        csv.field(fields::formatText(exportValue(field, record)));
    csv.endRow();
}

} // namespace buildscope
