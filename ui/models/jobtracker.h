#pragma once

#include <QMetaObject>
#include <QObject>
#include <QThreadPool>
#include <functional>
#include <memory>
#include <mutex>

namespace buildscope {

// Runs slow work (store reads, loads, comparisons) on a pool thread and hands the result,
// by value, to a callback on the tracker's (GUI) thread: the window never waits on a
// disk. Each tracker keeps one job current: a job started later makes the results of
// earlier ones stale, and those are dropped (hotspot's job pattern). Work must not throw:
// it returns its failure in its result.
class JobTracker : public QObject
{
    Q_OBJECT

public:
    explicit JobTracker(QObject* parent = nullptr);
    ~JobTracker() override;

    template<class Result>
    void run(std::function<Result()> work, std::function<void(Result)> done)
    {
        const quint64 job = ++m_latest;
        std::shared_ptr<Link> link = m_link;
        emit busyChanged(true);
        QThreadPool::globalInstance()->start([link, job, work = std::move(work), done = std::move(done)]() mutable {
            auto result = std::make_shared<Result>(work());
            std::lock_guard lock(link->mutex);
            if (!link->tracker)
                return; // the tracker is gone: nobody waits for this result
            JobTracker* tracker = link->tracker;
            QMetaObject::invokeMethod(
                tracker,
                [tracker, job, result, done = std::move(done)] {
                    if (job != tracker->m_latest)
                        return; // stale: a newer job was started
                    emit tracker->busyChanged(false);
                    done(std::move(*result));
                },
                Qt::QueuedConnection);
        });
    }

    // Drops the result of the running job, if any.
    void cancel() { ++m_latest; }

signals:
    void busyChanged(bool busy);

private:
    // Shared with running jobs: the tracker clears it when it is destroyed, so a job that
    // finishes later posts nothing to a dead object.
    struct Link
    {
        std::mutex mutex;
        JobTracker* tracker = nullptr;
    };
    std::shared_ptr<Link> m_link;
    quint64 m_latest = 0;
};

} // namespace buildscope
