#include "history/sqlrecords.h"

namespace buildscope::sqlrecords {

QVariant toSql(const FieldValue& value)
{
    return std::visit(
        [](const auto& v) -> QVariant {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>)
                return QVariant();
            else if constexpr (std::is_same_v<T, std::string>)
                return sqlvalues::fromText(v);
            else if constexpr (std::is_same_v<T, bool>)
                return v ? 1 : 0;
            else if constexpr (std::is_same_v<T, double>)
                return sqlvalues::fromDouble(v);
            else if constexpr (std::is_same_v<T, std::uint64_t>)
                return sqlvalues::fromUnsigned(v);
            else
                return sqlvalues::fromSigned(v);
        },
        value);
}

FieldValue fromSql(const QVariant& value, FieldType type)
{
    if (value.isNull())
        return std::monostate {};
    switch (type) {
    case FieldType::Text:
        return sqlvalues::toText(value);
    case FieldType::Integer:
    case FieldType::Flag:
        return sqlvalues::toSigned(value);
    case FieldType::Real:
        return sqlvalues::toDouble(value);
    }
    return std::monostate {};
}

} // namespace buildscope::sqlrecords
