#include "models/jobtracker.h"

namespace buildscope {

JobTracker::JobTracker(QObject* parent)
    : QObject(parent)
    , m_link(std::make_shared<Link>())
{
    m_link->tracker = this;
}

JobTracker::~JobTracker()
{
    std::lock_guard lock(m_link->mutex);
    m_link->tracker = nullptr;
}

} // namespace buildscope
