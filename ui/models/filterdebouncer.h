#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

namespace buildscope {

// Turns a burst of keystrokes into one filter change: re-filtering 50,000 log lines per
// keystroke makes typing lag, so the proxy only hears the text once the user pauses.
// Wire QLineEdit::textChanged -> setText and textSettled -> the proxy's setter.
class FilterDebouncer : public QObject
{
    Q_OBJECT

public:
    static constexpr int kDefaultDelayMs = 300;

    explicit FilterDebouncer(QObject* parent = nullptr);

    void setDelay(int milliseconds);
    int delay() const { return m_timer.interval(); }
    bool isPending() const { return m_timer.isActive(); }
    QString text() const { return m_text; }

public slots:
    // Restarts the delay; the latest text wins.
    void setText(const QString& text);
    // Emits a pending text now (e.g. on Return), so the user need not wait.
    void flush();

signals:
    void textSettled(const QString& text);

private:
    QTimer m_timer;
    QString m_text;
};

} // namespace buildscope
