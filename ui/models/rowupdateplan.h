#pragma once

#include <QList>
#include <cmath>
#include <iterator>
#include <utility>

namespace buildscope {

// How a live table moves from its current rows to a new snapshot with the fewest
// signals (GammaRay's rule): same rows -> one dataChanged per contiguous range of
// changed rows; rows only appended -> those dataChanged plus one insert for the tail;
// anything else -> one reset.
struct RowUpdatePlan
{
    enum class Kind
    {
        Update, // changedRanges and, when insertLast >= insertFirst, an appended tail
        Reset
    };

    Kind kind = Kind::Update;
    QList<std::pair<int, int>> changedRanges; // inclusive [first, last] rows, ascending
    int insertFirst = 0;
    int insertLast = -1;

    bool inserts() const { return insertLast >= insertFirst; }
};

// Adds `row` to ascending inclusive ranges, extending the last one when it is next to it.
inline void addChangedRow(QList<std::pair<int, int>>& ranges, int row)
{
    if (!ranges.isEmpty() && ranges.back().second == row - 1)
        ranges.back().second = row;
    else
        ranges.append({row, row});
}

// sameKey(a, b): the same logical row (same name...); sameValues(a, b): nothing shown differs.
template<typename OldRows, typename NewRows, typename SameKey, typename SameValues>
RowUpdatePlan planRowUpdate(const OldRows& oldRows, const NewRows& newRows, SameKey sameKey, SameValues sameValues)
{
    RowUpdatePlan plan;
    const auto oldCount = std::ssize(oldRows);
    const auto newCount = std::ssize(newRows);
    if (newCount < oldCount) {
        plan.kind = RowUpdatePlan::Kind::Reset;
        return plan;
    }
    const auto oldBegin = std::begin(oldRows);
    const auto newBegin = std::begin(newRows);
    for (decltype(std::ssize(oldRows)) i = 0; i < oldCount; ++i) {
        if (!sameKey(oldBegin[i], newBegin[i])) {
            plan.kind = RowUpdatePlan::Kind::Reset;
            plan.changedRanges.clear();
            return plan;
        }
        if (!sameValues(oldBegin[i], newBegin[i]))
            addChangedRow(plan.changedRanges, static_cast<int>(i));
    }
    if (newCount > oldCount) {
        plan.insertFirst = static_cast<int>(oldCount);
        plan.insertLast = static_cast<int>(newCount - 1);
    }
    return plan;
}

// NaN-aware equality for "did this cell change": NaN (unknown) stays unknown.
inline bool sameNumber(double a, double b)
{
    return a == b || (std::isnan(a) && std::isnan(b));
}

} // namespace buildscope
