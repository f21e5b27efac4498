# Every third-party dependency, found the standard way (CMake packages, pkg-config
# for xxHash which ships no CMake package on Debian).
find_package(Threads REQUIRED)

find_package(Qt6 6.4 REQUIRED COMPONENTS Core Test Sql)
set_package_properties(Qt6 PROPERTIES TYPE REQUIRED
    PURPOSE "Qt Core/Sql for the run history store, Qt Test for every test, Widgets/PrintSupport for the dashboard")

if(BUILDSCOPE_BUILD_GUI)
    # QCustomPlotQt6's imported target needs Qt6::PrintSupport, so find it first.
    find_package(Qt6 6.4 REQUIRED COMPONENTS Gui Widgets PrintSupport Svg)
    find_package(QCustomPlotQt6 QUIET)
    # scripts/setup-deps puts the release source there on macOS (no QCustomPlot formula).
    set(default_qcustomplot_source "")
    if(EXISTS "${PROJECT_SOURCE_DIR}/build/deps/qcustomplot-2.1.1/qcustomplot.cpp")
        set(default_qcustomplot_source "${PROJECT_SOURCE_DIR}/build/deps/qcustomplot-2.1.1")
    endif()
    set(QCUSTOMPLOT_SOURCE_DIR "${default_qcustomplot_source}" CACHE PATH
        "Unpacked QCustomPlot 2.1 source (qcustomplot.h/.cpp), used where no QCustomPlotQt6 package exists (macOS)")
    if(NOT QCustomPlotQt6_FOUND AND QCUSTOMPLOT_SOURCE_DIR)
        # Homebrew has no QCustomPlot: build the amalgamated source the user unpacked.
        add_library(qcustomplot_from_source STATIC "${QCUSTOMPLOT_SOURCE_DIR}/qcustomplot.cpp")
        target_include_directories(qcustomplot_from_source SYSTEM PUBLIC "${QCUSTOMPLOT_SOURCE_DIR}")
        target_link_libraries(qcustomplot_from_source PUBLIC Qt6::Widgets Qt6::PrintSupport)
        set_target_properties(qcustomplot_from_source PROPERTIES AUTOMOC ON)
        add_library(QCustomPlotQt6::QCustomPlotQt6 ALIAS qcustomplot_from_source)
        message(STATUS "QCustomPlot: building from ${QCUSTOMPLOT_SOURCE_DIR}")
    elseif(NOT QCustomPlotQt6_FOUND)
        message(FATAL_ERROR "QCustomPlotQt6 not found: install libqcustomplot-dev (Debian/Ubuntu), "
            "or set QCUSTOMPLOT_SOURCE_DIR to an unpacked QCustomPlot 2.1 source (docs/INSTALL.md), "
            "or configure with -DBUILDSCOPE_BUILD_GUI=OFF")
    endif()
    add_feature_info(QCustomPlot TRUE "live charts in the dashboard (https://www.qcustomplot.com/)")
endif()

find_package(spdlog REQUIRED)
set_package_properties(spdlog PROPERTIES TYPE REQUIRED URL "https://github.com/gabime/spdlog"
    PURPOSE "engine logging and the bounded build log")
# The compiled spdlog and fmt of the system; header-only under libc++, where the system's
# libstdc++-built libraries cannot take our std::string.
add_library(buildscope_spdlog INTERFACE)
add_library(BuildScope::Spdlog ALIAS buildscope_spdlog)
if(BUILDSCOPE_LIBCXX)
    find_package(fmt REQUIRED)
    target_link_libraries(buildscope_spdlog INTERFACE spdlog::spdlog_header_only fmt::fmt-header-only)
else()
    target_link_libraries(buildscope_spdlog INTERFACE spdlog::spdlog)
endif()

find_package(yaml-cpp REQUIRED)
set_package_properties(yaml-cpp PROPERTIES TYPE REQUIRED URL "https://github.com/jbeder/yaml-cpp"
    PURPOSE "parsing buildscope.yaml build specs")

find_package(LibArchive REQUIRED)
set_package_properties(LibArchive PROPERTIES TYPE REQUIRED URL "https://libarchive.org/"
    PURPOSE "writing the reproducible build-context tar")

find_package(FastFloat REQUIRED)
set_package_properties(FastFloat PROPERTIES TYPE REQUIRED URL "https://github.com/fastfloat/fast_float"
    PURPOSE "exact, locale-free parsing of decimal numbers (std::from_chars for double is missing in libc++ before LLVM 20)")

find_package(PkgConfig REQUIRED)
pkg_check_modules(xxhash REQUIRED IMPORTED_TARGET libxxhash)
add_feature_info(xxHash xxhash_FOUND "XXH3-128 build-context fingerprint (pkg-config libxxhash ${xxhash_VERSION})")

if(BUILDSCOPE_BUILD_BENCHMARKS)
    find_package(benchmark REQUIRED)
    set_package_properties(benchmark PROPERTIES TYPE REQUIRED URL "https://github.com/google/benchmark"
        PURPOSE "the microbenchmarks under bench/")
endif()
