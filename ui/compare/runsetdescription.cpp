#include "compare/runsetdescription.h"

#include <QStringList>
#include <algorithm>
#include <string>
#include <utility>

namespace buildscope {

namespace {

constexpr std::size_t kIdsShown = 4;

using Label = std::pair<std::string, std::string>;

bool hasLabel(const RunRecord& run, const Label& label)
{
    return std::find(run.labels.begin(), run.labels.end(), label) != run.labels.end();
}

// Lower is preferred: labels someone chose (side=base) say more than recorded context.
int labelRank(const std::string& key)
{
    if (key == "git.branch")
        return 1;
    if (key == "git.commit")
        return 2;
    if (key == "host")
        return 3;
    return 0;
}

QString labelText(const Label& label)
{
    QString value = QString::fromStdString(label.second);
    if (label.first == "git.commit" && value.size() > 10)
        value.truncate(10);
    return QString::fromStdString(label.first) + QLatin1Char('=') + value;
}

} // namespace

QString describeRunSet(const std::vector<std::int64_t>& ids, const std::vector<RunRecord>& listed)
{
    if (ids.empty())
        return QStringLiteral("none");
    std::vector<const RunRecord*> runs;
    for (const std::int64_t id : ids) {
        const auto found = std::find_if(listed.begin(), listed.end(), [id](const RunRecord& r) { return r.id == id; });
        if (found != listed.end())
            runs.push_back(&*found);
    }
    if (ids.size() == 1) {
        if (runs.empty() || runs.front()->specName.empty())
            return QStringLiteral("run #%1").arg(ids.front());
        return QStringLiteral("run #%1 (%2)").arg(ids.front()).arg(QString::fromStdString(runs.front()->specName));
    }
    const QString count = QStringLiteral("%1 runs").arg(ids.size());
    if (runs.size() == ids.size()) {
        const Label* best = nullptr;
        std::size_t bestCarriers = 0;
        auto better = [&](const Label& label, std::size_t carriers) {
            if (!best)
                return true;
            const bool exact = carriers == ids.size();
            const bool bestExact = bestCarriers == ids.size();
            if (exact != bestExact)
                return exact;
            return labelRank(label.first) < labelRank(best->first);
        };
        for (const Label& label : runs.front()->labels) {
            const bool common
                = std::all_of(runs.begin(), runs.end(), [&](const RunRecord* r) { return hasLabel(*r, label); });
            const auto carriers = static_cast<std::size_t>(
                std::count_if(listed.begin(), listed.end(), [&](const RunRecord& r) { return hasLabel(r, label); }));
            const bool distinguishing = carriers < listed.size();
            if (common && distinguishing && better(label, carriers)) {
                best = &label;
                bestCarriers = carriers;
            }
        }
        if (best && bestCarriers == ids.size())
            return QStringLiteral("%1 runs labelled %2").arg(ids.size()).arg(labelText(*best));
        if (best)
            return QStringLiteral("%1 of %2 runs labelled %3").arg(ids.size()).arg(bestCarriers).arg(labelText(*best));
    }
    QStringList shown;
    for (std::size_t i = 0; i < ids.size() && i < kIdsShown; ++i)
        shown << QStringLiteral("#%1").arg(ids[i]);
    if (ids.size() > kIdsShown)
        shown << QStringLiteral("\u2026");
    return count + QStringLiteral(" (") + shown.join(QStringLiteral(", ")) + QLatin1Char(')');
}

} // namespace buildscope
