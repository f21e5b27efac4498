#pragma once

#include <cstddef>
#include <optional>
#include <vector>

namespace buildscope {

// The binary search of a bisection, without git or builds: candidates 0 .. count-1 are
// the commits after the good one, oldest first; the last is the bad commit, known bad.
// It asks for the commit to test next and is told what that commit was. When a commit
// cannot be tested (its build fails, its measurement cannot tell) it is skipped and the
// search tests a neighbour instead; skipped commits that stay between the last good and
// the first bad one leave the answer a range rather than one commit.
class BisectSearch
{
public:
    explicit BisectSearch(std::size_t count);

    // The candidate to test next (the middle of what is left, or the untested one nearest
    // to it when the middle was skipped); nullopt when the search is over.
    std::optional<std::size_t> next() const;

    void markGood(std::size_t index);
    void markBad(std::size_t index);
    void markSkipped(std::size_t index);

    bool done() const { return !next(); }
    // The first candidate known bad (the answer when nothing is skipped before it).
    std::size_t firstBad() const noexcept { return m_firstBad; }
    // The last candidate known good; nullopt: only the good commit itself is.
    std::optional<std::size_t> lastGood() const;
    // Skipped candidates between the last good and the first bad one: when there are any,
    // the first bad commit is one of them or firstBad().
    std::vector<std::size_t> skippedInRange() const;
    // Candidates between the last good and the first bad that are still untested.
    std::size_t untested() const;
    // Tests still needed at most, when nothing more is skipped: ceil(log2(possible answers)).
    int stepsLeft() const;

private:
    std::ptrdiff_t m_lastGood = -1; // -1: the good commit, before candidate 0
    std::size_t m_firstBad;
    std::vector<bool> m_skipped;
};

} // namespace buildscope
