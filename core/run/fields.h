#pragma once

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

namespace buildscope {

// A field's value on its way to or from a format: null (an optional without a value,
// an empty CSV cell, SQL NULL), text, a whole number, a real number or a flag.
using FieldValue = std::variant<std::monostate, std::string, std::int64_t, std::uint64_t, double, bool>;

// How a field is stored: what a SQL column's type and a reader's check follow.
enum class FieldType
{
    Text,
    Integer, // whole number (signed or unsigned); may be null when the field is optional
    Real,
    Flag,
};

// One field of a record (a step, a process, a pool, an operation, a host): its name is
// the JSON key, the CSV column and the SQL column alike, so a field added to a record's
// list reaches every format. Readers call set(), which checks type and range and names
// the fault; derived fields (set == nullptr) are written for convenience and ignored on
// reading.
template<class Record>
struct Field
{
    const char* name;
    FieldType type;
    const char* unit; // "bytes", "s", "ns", "count" or "" (docs/REPORTS.md)
    FieldValue (*get)(const Record&);
    // Empty on success, else why the value is refused ("must be a whole number from 0 to ...").
    std::string (*set)(Record&, const FieldValue&);
    bool nullable = false;

    bool derived() const { return set == nullptr; }
};

template<class Record>
using FieldList = std::span<const Field<Record>>;

// The largest count a JSON number (a double) holds exactly; nothing a build measures
// comes near it, so anything above it is a damaged or forged file.
inline constexpr std::int64_t kMaxExactCountBound = 9007199254740992; // 2^53
inline constexpr double kMaxExactCount = static_cast<double>(kMaxExactCountBound);
// Ten years, in seconds: longer than any build, shorter than any forged figure.
inline constexpr std::int64_t kMaxSecondsBound = 10LL * 366 * 24 * 3600;
inline constexpr double kMaxSeconds = static_cast<double>(kMaxSecondsBound);

namespace fields {

std::string describe(const FieldValue& value); // for messages: "-5", "\"abc\"", "null"

// --- conversions used by the field templates; each returns "" or why not ---
std::string toInteger(const FieldValue& value, double min, double max, std::int64_t& out);
std::string toUnsigned(const FieldValue& value, double max, std::uint64_t& out);
std::string toReal(const FieldValue& value, double min, double max, double& out);
std::string toText(const FieldValue& value, std::string& out);
std::string toFlag(const FieldValue& value, bool& out);

// Text as read from a CSV cell, typed by the field: "" is null, "12" a number, ...
// Returns "" or why the text is not of the field's type.
std::string parseText(FieldType type, std::string_view text, FieldValue& out);
// A value as CSV cell text: integers in full, reals in their shortest round-trip form.
std::string formatText(const FieldValue& value);

template<class T>
struct MemberOf;
template<class R, class T>
struct MemberOf<T R::*>
{
    using Record = R;
    using Type = T;
};

template<auto Member>
using RecordOf = typename MemberOf<decltype(Member)>::Record;
template<auto Member>
using TypeOf = typename MemberOf<decltype(Member)>::Type;

template<class T>
constexpr FieldType typeOf()
{
    if constexpr (std::is_same_v<T, bool>)
        return FieldType::Flag;
    else if constexpr (std::is_floating_point_v<T>)
        return FieldType::Real;
    else if constexpr (std::is_integral_v<T>)
        return FieldType::Integer;
    else if constexpr (std::is_same_v<T, std::optional<int>>)
        return FieldType::Integer;
    else
        return FieldType::Text;
}

template<class T>
FieldValue wrap(const T& value)
{
    if constexpr (std::is_same_v<T, bool> || std::is_floating_point_v<T>)
        return value;
    else if constexpr (std::is_integral_v<T> && std::is_unsigned_v<T>)
        return static_cast<std::uint64_t>(value);
    else if constexpr (std::is_integral_v<T>)
        return static_cast<std::int64_t>(value);
    else if constexpr (std::is_same_v<T, std::optional<int>>)
        return value ? FieldValue(static_cast<std::int64_t>(*value)) : FieldValue();
    else if constexpr (std::is_same_v<T, std::filesystem::path>)
        return value.string();
    else
        return std::string(value);
}

template<class T>
std::string unwrap(const FieldValue& value, double min, double max, T& out)
{
    if constexpr (std::is_same_v<T, bool>) {
        return toFlag(value, out);
    } else if constexpr (std::is_floating_point_v<T>) {
        double real = 0;
        std::string error = toReal(value, min, max, real);
        if (error.empty())
            out = static_cast<T>(real);
        return error;
    } else if constexpr (std::is_integral_v<T> && std::is_unsigned_v<T>) {
        std::uint64_t number = 0;
        std::string error = toUnsigned(value, max, number);
        if (error.empty())
            out = static_cast<T>(number);
        return error;
    } else if constexpr (std::is_integral_v<T>) {
        std::int64_t number = 0;
        std::string error = toInteger(value, min, max, number);
        if (error.empty())
            out = static_cast<T>(number);
        return error;
    } else if constexpr (std::is_same_v<T, std::optional<int>>) {
        if (std::holds_alternative<std::monostate>(value)) {
            out.reset();
            return {};
        }
        std::int64_t number = 0;
        std::string error = toInteger(value, min, max, number);
        if (error.empty())
            out = static_cast<int>(number);
        return error;
    } else {
        std::string text;
        std::string error = toText(value, text);
        if (error.empty())
            out = T(text);
        return error;
    }
}

template<auto Member>
FieldValue getMember(const RecordOf<Member>& record)
{
    return wrap(record.*Member);
}

// Bounds are whole numbers (template arguments of type double need a newer compiler
// than clang 14, which builds the fuzzers); every field's range is.
template<auto Member, std::int64_t Min, std::int64_t Max>
std::string setMember(RecordOf<Member>& record, const FieldValue& value)
{
    return unwrap(value, static_cast<double>(Min), static_cast<double>(Max), record.*Member);
}

template<auto Member, const char* (*Name)(TypeOf<Member>)>
FieldValue getEnum(const RecordOf<Member>& record)
{
    return std::string(Name(record.*Member));
}

template<auto Member, auto Parse>
std::string setEnum(RecordOf<Member>& record, const FieldValue& value)
{
    std::string text;
    if (std::string error = toText(value, text); !error.empty())
        return error;
    const auto parsed = Parse(text);
    if (!parsed)
        return "unknown value \"" + text + "\"";
    record.*Member = *parsed;
    return {};
}

} // namespace fields

// A field stored in a member; numbers are checked against [Min, Max] when read back.
template<auto Member, std::int64_t Min = 0, std::int64_t Max = kMaxExactCountBound>
constexpr Field<fields::RecordOf<Member>> memberField(const char* name, const char* unit = "")
{
    using T = fields::TypeOf<Member>;
    return {name, fields::typeOf<T>(), unit, &fields::getMember<Member>, &fields::setMember<Member, Min, Max>,
        std::is_same_v<T, std::optional<int>>};
}

// An enum member written as its name and read back through its parser.
template<auto Member, const char* (*Name)(fields::TypeOf<Member>), auto Parse>
constexpr Field<fields::RecordOf<Member>> enumField(const char* name)
{
    return {name, FieldType::Text, "", &fields::getEnum<Member, Name>, &fields::setEnum<Member, Parse>, false};
}

// The value a format writes: seconds are rounded to the nanosecond (the clock's
// resolution), so differences of clock readings do not carry float noise such as
// 0.0009379999999999944 into a report.
template<class Record>
FieldValue exportValue(const Field<Record>& field, const Record& record)
{
    FieldValue value = field.get(record);
    if (auto* real = std::get_if<double>(&value); real && std::string_view(field.unit) == "s")
        *real = std::round(*real * 1e9) / 1e9;
    return value;
}

// Finds a field by name, or nullptr.
template<class Record>
const Field<Record>* findField(FieldList<Record> list, std::string_view name)
{
    for (const Field<Record>& field : list) {
        if (name == field.name)
            return &field;
    }
    return nullptr;
}

} // namespace buildscope
