# buildscope_add_test(<name> SOURCES <files...> [LIBRARIES <targets...>] [LABELS <labels...>]
#                     [HEAP_TRACKING] [TIMEOUT <seconds>])
#
# One Qt Test executable per class or topic, registered with CTest. Every test runs
# with QT_QPA_PLATFORM=offscreen, so widget tests need no display.
#   HEAP_TRACKING  links the counting operator new/delete so the test can assert on allocations.
# Labels: "core" for engine tests (they also run under the asan and tsan presets), "ui" for widget tests.
#
# Under libc++ (BUILDSCOPE_LIBCXX, preset 'libcxx') only the tests in BUILDSCOPE_LIBCXX_TESTS
# are built, labelled "libcxx" and run: every other one reaches a Debian library built
# against libstdc++ through a std type (Qt Core's QByteArray::toStdString/fromStdString and
# QMetaType's std::function converters, yaml-cpp's std::string and std::istream API), found
# by linking them all (docs/INSTALL.md, "libc++").
set(BUILDSCOPE_LIBCXX_TESTS
    tst_decimalnumber tst_closeonexec # io
    tst_bufferpool tst_heaptracker tst_loghistogram tst_operationscope tst_processmemory tst_sampler
    tst_timeseriesstore # memory
    tst_recordfields # run
    tst_changepoints tst_samplesummary # compare
    tst_buildlog tst_processrunner tst_kqueuefollower # engine: the Linux ledger and the macOS ledger's logic
    tst_bisectsearch tst_commitverdict # bisect
)

function(buildscope_add_test name)
    cmake_parse_arguments(PARSE_ARGV 1 arg "HEAP_TRACKING" "TIMEOUT" "SOURCES;LIBRARIES;LABELS")
    add_executable(${name} ${arg_SOURCES})
    if(BUILDSCOPE_LIBCXX)
        if(name IN_LIST BUILDSCOPE_LIBCXX_TESTS)
            list(APPEND arg_LABELS libcxx)
        else()
            set_target_properties(${name} PROPERTIES EXCLUDE_FROM_ALL ON)
        endif()
    endif()
    set_target_properties(${name} PROPERTIES AUTOMOC ON)
    target_link_libraries(${name} PRIVATE BuildScope::Options Qt6::Test ${arg_LIBRARIES})
    if(BUILDSCOPE_SANITIZE MATCHES "thread")
        target_sources(${name} PRIVATE "${PROJECT_SOURCE_DIR}/tests/support/tsansuppressions.cpp")
    endif()
    if(arg_HEAP_TRACKING)
        target_link_libraries(${name} PRIVATE BuildScope::HeapHook)
    endif()
    add_test(NAME ${name} COMMAND ${name})
    set(environment "QT_QPA_PLATFORM=offscreen")
    if(NOT arg_TIMEOUT)
        set(arg_TIMEOUT 300)
    endif()
    set_tests_properties(${name} PROPERTIES LABELS "${arg_LABELS}" TIMEOUT ${arg_TIMEOUT}
        ENVIRONMENT "${environment}")
endfunction()
