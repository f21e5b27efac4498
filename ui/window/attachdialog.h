#pragma once

#include <QDialog>
#include <QString>

class QListWidget;
class QLabel;

namespace buildscope {

// "Attach to a Running Build": the runs that engines of this user publish on this
// machine (`buildscope run` in a terminal, an IDE, another dashboard), newest first.
class AttachDialog : public QDialog
{
    Q_OBJECT

public:
    explicit AttachDialog(QWidget* parent = nullptr);

    // The chosen run's socket; empty when none was chosen.
    QString socket() const;
    // Lists the live runs again; false when there are none (or the directory is unusable).
    bool refresh();

private:
    QListWidget* m_list;
    QLabel* m_note;
};

} // namespace buildscope
