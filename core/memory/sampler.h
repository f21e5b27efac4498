#pragma once

#include "memory/timeseriesstore.h"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <span>
#include <string_view>
#include <thread>
#include <vector>

namespace buildscope {

// Something the sampler reads on every tick: a fixed list of series.
class SampleSource
{
public:
    virtual ~SampleSource() = default;
    virtual std::vector<SeriesSpec> series() const = 0;
    // Writes exactly series().size() values; NaN means "no value now". Runs on the
    // sampler thread, so it must be safe against the threads being measured.
    virtual void read(std::span<double> out) = 0;
};

// A thread that reads every source at a fixed rate (default 20 Hz) into a
// TimeSeriesStore. Sample times are seconds since start(). Ticks are scheduled on an
// absolute grid; a late tick is taken at once and the grid skips ahead, never bursts.
class Sampler
{
public:
    struct Options
    {
        double hz = 20.0;
        TimeSeriesStore::Config store;
    };

    explicit Sampler(std::vector<std::unique_ptr<SampleSource>> sources);
    Sampler(std::vector<std::unique_ptr<SampleSource>> sources, Options options);
    ~Sampler();
    Sampler(const Sampler&) = delete;
    Sampler& operator=(const Sampler&) = delete;

    // Takes a first sample at t = 0, then one per period. A sampler runs once.
    void start();
    // Takes a last sample (so nothing between the last tick and now is lost) and joins.
    void stop();
    bool isRunning() const noexcept { return m_thread.joinable(); }

    const TimeSeriesStore& store() const noexcept { return *m_store; }
    double hz() const noexcept { return m_options.hz; }
    std::chrono::steady_clock::time_point startTime() const noexcept { return m_start; }
    // Seconds since start() on the sampler's clock.
    double secondsSinceStart() const noexcept;
    // Index of a series by name, or -1.
    int seriesIndex(std::string_view name) const noexcept;

private:
    void run();
    void sampleOnce();

    std::vector<std::unique_ptr<SampleSource>> m_sources;
    std::vector<std::size_t> m_offsets; // first column of each source
    Options m_options;
    std::unique_ptr<TimeSeriesStore> m_store;
    std::vector<double> m_row;
    std::chrono::steady_clock::time_point m_start;

    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopRequested = false;
    bool m_started = false;
    std::thread m_thread;
};

} // namespace buildscope
