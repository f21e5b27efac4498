#pragma once

#include "theme/appearance.h"

#include <QDialog>
#include <QString>
#include <filesystem>

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace buildscope {

// Settings a user changes rarely, kept in QSettings: light or dark, where the run history
// is stored, the sampling rate (0 = the spec's sample_hz) and the dashboard's refresh rate.
class PreferencesDialog : public QDialog
{
    Q_OBJECT

public:
    explicit PreferencesDialog(QWidget* parent = nullptr);

    static int sampleHzOverride(); // 0: the spec decides
    static int refreshHz();
    static Appearance appearance();
    // The store chosen here; empty: the default one.
    static QString chosenStore();
    // The store the dashboard opens: BUILDSCOPE_STORE when set (builds started from the
    // same shell record there), else the one chosen here, else the platform's default.
    static std::filesystem::path storePath();

    void accept() override;

    QComboBox* appearanceCombo() const noexcept { return m_appearance; }
    QLineEdit* storeEdit() const noexcept { return m_store; }

private:
    void chooseStore();

    QComboBox* m_appearance;
    QLineEdit* m_store;
    QLabel* m_storeNote;
    QSpinBox* m_sampleHz;
    QSpinBox* m_refreshHz;
};

} // namespace buildscope
