#include "memory/sampler.h"

#include <stdexcept>

namespace buildscope {

namespace {
std::vector<SeriesSpec> collectSeries(const std::vector<std::unique_ptr<SampleSource>>& sources)
{
    std::vector<SeriesSpec> all;
    for (const auto& source : sources) {
        for (SeriesSpec& spec : source->series())
            all.push_back(std::move(spec));
    }
    return all;
}
} // namespace

Sampler::Sampler(std::vector<std::unique_ptr<SampleSource>> sources)
    : Sampler(std::move(sources), Options {})
{ }

Sampler::Sampler(std::vector<std::unique_ptr<SampleSource>> sources, Options options)
    : m_sources(std::move(sources))
    , m_options(std::move(options))
{
    if (!(m_options.hz > 0 && m_options.hz <= 1000))
        throw std::invalid_argument("sample rate must be in (0, 1000] Hz, got " + std::to_string(m_options.hz));
    std::size_t offset = 0;
    for (const auto& source : m_sources) {
        m_offsets.push_back(offset);
        offset += source->series().size();
    }
    m_store = std::make_unique<TimeSeriesStore>(collectSeries(m_sources), m_options.store);
    m_row.resize(offset);
}

Sampler::~Sampler()
{
    stop();
}

double Sampler::secondsSinceStart() const noexcept
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
}

int Sampler::seriesIndex(std::string_view name) const noexcept
{
    const auto& series = m_store->series();
    for (std::size_t i = 0; i < series.size(); ++i) {
        if (series[i].name == name)
            return static_cast<int>(i);
    }
    return -1;
}

void Sampler::start()
{
    if (m_started)
        throw std::logic_error("Sampler::start: a sampler runs once; create a new one per run");
    m_started = true;
    m_start = std::chrono::steady_clock::now();
    m_thread = std::thread([this] { run(); });
}

void Sampler::stop()
{
    if (!m_thread.joinable())
        return;
    {
        std::lock_guard lock(m_mutex);
        m_stopRequested = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

void Sampler::sampleOnce()
{
    const double seconds = secondsSinceStart();
    for (std::size_t i = 0; i < m_sources.size(); ++i) {
        const std::size_t count = (i + 1 < m_offsets.size() ? m_offsets[i + 1] : m_row.size()) - m_offsets[i];
        m_sources[i]->read(std::span<double>(m_row).subspan(m_offsets[i], count));
    }
    m_store->append(seconds, m_row);
}

void Sampler::run()
{
    using Clock = std::chrono::steady_clock;
    const auto period = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / m_options.hz));
    Clock::time_point next = m_start;
    std::unique_lock lock(m_mutex);
    for (;;) {
        lock.unlock();
        sampleOnce();
        lock.lock();
        next += period;
        const auto now = Clock::now();
        if (next < now) // fell behind (a slow /proc scan, a suspended VM): skip, don't burst
            next = now + period - (now - next) % period;
        if (m_wake.wait_until(lock, next, [this] { return m_stopRequested; }))
            break;
    }
    lock.unlock();
    sampleOnce(); // the final sample at stop time
}

} // namespace buildscope
