#include "window/preferencesdialog.h"

#include "history/runhistory.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>

namespace buildscope {

namespace {
const char* const kSampleHz = "run/sampleHzOverride";
const char* const kRefreshHz = "view/refreshHz";
const char* const kAppearance = "view/appearance";
const char* const kStore = "history/store";

QString defaultStore()
{
    // What the store would be without a choice here (BUILDSCOPE_STORE included).
    return QString::fromStdString(RunHistory::defaultPath().string());
}
} // namespace

PreferencesDialog::PreferencesDialog(QWidget* parent)
    : QDialog(parent)
    , m_appearance(new QComboBox(this))
    , m_store(new QLineEdit(this))
    , m_storeNote(new QLabel(this))
    , m_sampleHz(new QSpinBox(this))
    , m_refreshHz(new QSpinBox(this))
{
    setWindowTitle(tr("Preferences"));
    m_appearance->addItem(tr("As the system"), appearanceName(Appearance::System));
    m_appearance->addItem(tr("Light"), appearanceName(Appearance::Light));
    m_appearance->addItem(tr("Dark"), appearanceName(Appearance::Dark));
    m_appearance->setCurrentIndex(std::max(0, m_appearance->findData(appearanceName(appearance()))));

    m_store->setText(QDir::toNativeSeparators(chosenStore()));
    m_store->setPlaceholderText(QDir::toNativeSeparators(defaultStore()));
    m_store->setClearButtonEnabled(true);
    m_store->setToolTip(tr("The SQLite file that keeps every run; empty: the default one"));
    auto* browse = new QPushButton(tr("Choose\u2026"), this);
    connect(browse, &QPushButton::clicked, this, &PreferencesDialog::chooseStore);
    auto* storeRow = new QHBoxLayout;
    storeRow->addWidget(m_store, 1);
    storeRow->addWidget(browse);
    m_storeNote->setWordWrap(true);
    if (!qEnvironmentVariableIsEmpty("BUILDSCOPE_STORE"))
        m_storeNote->setText(tr("BUILDSCOPE_STORE is set for this session, so %1 is used instead.")
                                 .arg(QDir::toNativeSeparators(qEnvironmentVariable("BUILDSCOPE_STORE"))));
    else
        m_storeNote->setText(tr("Builds started here record into it; builds started from a terminal record into "
                                "the default store unless told otherwise."));
    QFont small = m_storeNote->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    m_storeNote->setFont(small);

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
    form->addRow(tr("Appearance:"), m_appearance);
    form->addRow(tr("Run history:"), storeRow);
    form->addRow(QString(), m_storeNote);
    form->addRow(tr("Sampling rate:"), m_sampleHz);
    form->addRow(tr("Dashboard refresh:"), m_refreshHz);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
    setMinimumWidth(560);
}

int PreferencesDialog::sampleHzOverride()
{
    return QSettings().value(kSampleHz, 0).toInt();
}

int PreferencesDialog::refreshHz()
{
    return QSettings().value(kRefreshHz, 30).toInt();
}

Appearance PreferencesDialog::appearance()
{
    return appearanceFromName(QSettings().value(kAppearance).toString());
}

QString PreferencesDialog::chosenStore()
{
    return QSettings().value(kStore).toString();
}

std::filesystem::path PreferencesDialog::storePath()
{
    const QString chosen = chosenStore();
    if (!qEnvironmentVariableIsEmpty("BUILDSCOPE_STORE") || chosen.isEmpty())
        return RunHistory::defaultPath();
    return std::filesystem::path(chosen.toStdString());
}

void PreferencesDialog::chooseStore()
{
    const QString start = m_store->text().isEmpty() ? defaultStore() : m_store->text();
    const QString file = QFileDialog::getSaveFileName(this, tr("Run History"), start,
        tr("Run history (*.sqlite);;All files (*)"), nullptr, QFileDialog::DontConfirmOverwrite);
    if (!file.isEmpty())
        m_store->setText(QDir::toNativeSeparators(file));
}

void PreferencesDialog::accept()
{
    QSettings settings;
    settings.setValue(kAppearance, m_appearance->currentData().toString());
    const QString store = QDir::fromNativeSeparators(m_store->text().trimmed());
    if (store.isEmpty() || store == defaultStore())
        settings.remove(kStore);
    else
        settings.setValue(kStore, store);
    settings.setValue(kSampleHz, m_sampleHz->value());
    settings.setValue(kRefreshHz, m_refreshHz->value());
    QDialog::accept();
}

} // namespace buildscope
