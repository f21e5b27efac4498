#include "report/fieldformats.h"

namespace buildscope {

QJsonValue toJsonValue(const FieldValue& value)
{
    return std::visit(
        [](const auto& v) -> QJsonValue {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>)
                return QJsonValue(QJsonValue::Null);
            else if constexpr (std::is_same_v<T, std::string>)
                return QString::fromStdString(v);
            else if constexpr (std::is_same_v<T, bool>)
                return v;
            else if constexpr (std::is_same_v<T, double>)
                return std::isnan(v) ? QJsonValue(QJsonValue::Null) : QJsonValue(v);
            else
                // JSON numbers are doubles: exact up to 2^53, which the field lists enforce on reading.
                return static_cast<double>(v);
        },
        value);
}

std::string fromJsonValue(const QJsonValue& json, FieldValue& out)
{
    switch (json.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        out = std::monostate {};
        return {};
    case QJsonValue::Bool:
        out = json.toBool();
        return {};
    case QJsonValue::Double:
        out = json.toDouble();
        return {};
    case QJsonValue::String:
        out = json.toString().toStdString();
        return {};
    case QJsonValue::Array:
    case QJsonValue::Object:
        break;
    }
    return "must be a single value, got a JSON " + std::string(json.isArray() ? "array" : "object");
}

} // namespace buildscope
