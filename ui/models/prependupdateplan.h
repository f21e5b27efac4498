#pragma once

#include "models/rowupdateplan.h"

#include <QList>
#include <iterator>
#include <utility>

namespace buildscope {

// RowUpdatePlan's rule for a newest-first listing, where new rows arrive at the top:
// the old rows found unchanged in order at the end of the new list -> one insert of the
// rows above them, plus one dataChanged per contiguous range of old rows whose values
// changed (in the old rows' positions, emitted before the insert); anything else (a row
// removed or reordered) -> one reset.
struct PrependUpdatePlan
{
    enum class Kind
    {
        Update,
        Reset
    };

    Kind kind = Kind::Update;
    QList<std::pair<int, int>> changedRanges; // inclusive [first, last] old rows, ascending
    int inserted = 0; // rows 0 .. inserted - 1 of the new list are new

    bool inserts() const { return inserted > 0; }
};

// sameKey(a, b): the same logical row (same run id); sameValues(a, b): nothing shown differs.
template<typename OldRows, typename NewRows, typename SameKey, typename SameValues>
PrependUpdatePlan planPrependUpdate(
    const OldRows& oldRows, const NewRows& newRows, SameKey sameKey, SameValues sameValues)
{
    PrependUpdatePlan plan;
    const auto oldCount = std::ssize(oldRows);
    const auto newCount = std::ssize(newRows);
    if (newCount < oldCount) {
        plan.kind = PrependUpdatePlan::Kind::Reset;
        return plan;
    }
    const auto offset = newCount - oldCount;
    const auto oldBegin = std::begin(oldRows);
    const auto newBegin = std::begin(newRows);
    for (decltype(std::ssize(oldRows)) i = 0; i < oldCount; ++i) {
        const auto& before = oldBegin[i];
        const auto& after = newBegin[i + offset];
        if (!sameKey(before, after)) {
            plan.kind = PrependUpdatePlan::Kind::Reset;
            plan.changedRanges.clear();
            return plan;
        }
        if (!sameValues(before, after))
            addChangedRow(plan.changedRanges, static_cast<int>(i));
    }
    plan.inserted = static_cast<int>(offset);
    return plan;
}

} // namespace buildscope
