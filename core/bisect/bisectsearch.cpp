#include "bisect/bisectsearch.h"

#include <stdexcept>

namespace buildscope {

BisectSearch::BisectSearch(std::size_t count)
    : m_firstBad(count == 0 ? 0 : count - 1)
    , m_skipped(count, false)
{
    if (count == 0)
        throw std::invalid_argument("a bisection needs at least the bad commit");
}

std::optional<std::size_t> BisectSearch::next() const
{
    const auto bad = static_cast<std::ptrdiff_t>(m_firstBad);
    if (bad - m_lastGood <= 1)
        return std::nullopt;
    const std::ptrdiff_t middle = m_lastGood + (bad - m_lastGood) / 2;
    // The middle, else its nearest untested neighbours, the one below first (as git bisect
    // does, nearer candidates keep the halving nearly as good).
    for (std::ptrdiff_t distance = 0; distance < bad - m_lastGood; ++distance) {
        for (const std::ptrdiff_t index : {middle - distance, middle + distance}) {
            if (index > m_lastGood && index < bad && !m_skipped[static_cast<std::size_t>(index)])
                return static_cast<std::size_t>(index);
        }
    }
    return std::nullopt;
}

void BisectSearch::markGood(std::size_t index)
{
    if (static_cast<std::ptrdiff_t>(index) > m_lastGood && index < m_firstBad)
        m_lastGood = static_cast<std::ptrdiff_t>(index);
}

void BisectSearch::markBad(std::size_t index)
{
    if (static_cast<std::ptrdiff_t>(index) > m_lastGood && index < m_firstBad)
        m_firstBad = index;
}

void BisectSearch::markSkipped(std::size_t index)
{
    if (index < m_skipped.size())
        m_skipped[index] = true;
}

std::optional<std::size_t> BisectSearch::lastGood() const
{
    if (m_lastGood < 0)
        return std::nullopt;
    return static_cast<std::size_t>(m_lastGood);
}

std::vector<std::size_t> BisectSearch::skippedInRange() const
{
    std::vector<std::size_t> skipped;
    for (auto index = static_cast<std::size_t>(m_lastGood + 1); index < m_firstBad; ++index) {
        if (m_skipped[index])
            skipped.push_back(index);
    }
    return skipped;
}

std::size_t BisectSearch::untested() const
{
    const std::size_t between = m_firstBad - static_cast<std::size_t>(m_lastGood + 1);
    return between - skippedInRange().size();
}

int BisectSearch::stepsLeft() const
{
    // Possible answers: each untested candidate, or the first bad one itself.
    std::size_t answers = untested() + 1;
    int steps = 0;
    for (std::size_t reach = 1; reach < answers; reach *= 2)
        ++steps;
    return steps;
}

} // namespace buildscope
