#pragma once

// The one place QCustomPlot's header is included. It is written for older compilers and
// Qt styles: it uses `foreach` (gone under QT_NO_FOREACH) and trips -Wconversion,
// -Wold-style-cast and friends, which are errors in our dev builds. Where the package
// installs it outside a system include directory (a source build on macOS) the pragmas
// keep those warnings out of our translation units.

#if defined(QT_NO_FOREACH) && !defined(foreach)
#define foreach Q_FOREACH
#define BUILDSCOPE_DEFINED_FOREACH
#endif

#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wfloat-conversion"
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
#pragma GCC diagnostic ignored "-Woverloaded-virtual"
#pragma GCC diagnostic ignored "-Wnull-dereference"
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#endif

#include <qcustomplot.h>

#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic pop
#endif

#if defined(BUILDSCOPE_DEFINED_FOREACH)
#undef foreach
#undef BUILDSCOPE_DEFINED_FOREACH
#endif
