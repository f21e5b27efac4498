#pragma once

#include <QDialog>

class QSpinBox;

namespace buildscope {

// Settings a user changes rarely: sampling rate (0 = use the spec's sample_hz) and the
// dashboard's refresh rate. Stored in QSettings.
class PreferencesDialog : public QDialog
{
    Q_OBJECT

public:
    explicit PreferencesDialog(QWidget* parent = nullptr);

    static int sampleHzOverride(); // 0: the spec decides
    static int refreshHz();

    void accept() override;

private:
    QSpinBox* m_sampleHz;
    QSpinBox* m_refreshHz;
};

} // namespace buildscope
