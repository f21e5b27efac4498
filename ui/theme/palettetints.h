#pragma once

#include <QColor>
#include <QPalette>

namespace buildscope {

// Status and log-level colours derived from a palette instead of hard-coded RGB, so
// "failed" reads on a dark theme as well as on a light one: each accent is blended
// toward the palette's Text colour until it reaches a readable contrast against Base.
// Cheap to ask repeatedly: colours are recomputed only when Text or Base change, or after
// invalidate() (call it on QEvent::PaletteChange).
class PaletteTints
{
public:
    enum class Tint
    {
        Error, // failed, timed-out, error lines
        Success, // succeeded
        Warning, // warning lines (amber)
        Muted // skipped, not-run, cancelled, debug lines
    };

    // WCAG AA for normal text; every tint meets it against Base unless Text itself does not.
    static constexpr double kMinimumContrast = 4.5;

    // The tint for the application palette (QGuiApplication::palette()).
    QColor color(Tint tint);
    // Forget the cached colours (the palette changed).
    void invalidate() { m_valid = false; }

    static QColor tint(const QPalette& palette, Tint tint);
    // The saturated hue a tint starts from (invalid for Muted, which has none): washes of
    // red or green behind a row start from these too.
    static QColor accent(Tint tint);

private:
    void refresh(const QPalette& palette);

    bool m_valid = false;
    QColor m_text;
    QColor m_base;
    QColor m_colors[4];
};

} // namespace buildscope
