#include "window/preferencesdialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QSettings>
#include <QSpinBox>

namespace buildscope {

namespace {
const char* const kSampleHz = "run/sampleHzOverride";
const char* const kRefreshHz = "view/refreshHz";
} // namespace

PreferencesDialog::PreferencesDialog(QWidget* parent)
    : QDialog(parent)
    , m_sampleHz(new QSpinBox(this))
    , m_refreshHz(new QSpinBox(this))
{
    setWindowTitle(tr("Preferences"));
    m_sampleHz->setRange(0, 1000);
    m_sampleHz->setSpecialValueText(tr("as the spec says"));
    m_sampleHz->setSuffix(tr(" Hz"));
    m_sampleHz->setValue(sampleHzOverride());
    m_sampleHz->setToolTip(tr("How often the process tree and the engine are sampled during a run"));
    m_refreshHz->setRange(5, 60);
    m_refreshHz->setSuffix(tr(" Hz"));
    m_refreshHz->setValue(refreshHz());
    m_refreshHz->setToolTip(tr("How often the charts and tables update while a build runs"));

    auto* form = new QFormLayout;
    form->addRow(tr("Sampling rate:"), m_sampleHz);
    form->addRow(tr("Dashboard refresh:"), m_refreshHz);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
}

int PreferencesDialog::sampleHzOverride()
{
    return QSettings().value(kSampleHz, 0).toInt();
}

int PreferencesDialog::refreshHz()
{
    return QSettings().value(kRefreshHz, 30).toInt();
}

void PreferencesDialog::accept()
{
    QSettings settings;
    settings.setValue(kSampleHz, m_sampleHz->value());
    settings.setValue(kRefreshHz, m_refreshHz->value());
    QDialog::accept();
}

} // namespace buildscope
