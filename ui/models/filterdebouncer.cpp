#include "models/filterdebouncer.h"

namespace buildscope {

FilterDebouncer::FilterDebouncer(QObject* parent)
    : QObject(parent)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(kDefaultDelayMs);
    connect(&m_timer, &QTimer::timeout, this, [this] { emit textSettled(m_text); });
}

void FilterDebouncer::setDelay(int milliseconds)
{
    m_timer.setInterval(milliseconds);
}

void FilterDebouncer::setText(const QString& text)
{
    m_text = text;
    m_timer.start();
}

void FilterDebouncer::flush()
{
    if (!m_timer.isActive())
        return;
    m_timer.stop();
    emit textSettled(m_text);
}

} // namespace buildscope
