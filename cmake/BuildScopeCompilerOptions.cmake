# One INTERFACE target carries the language level, warnings and sanitizer flags;
# every BuildScope target links it instead of editing global flags.
add_library(buildscope_options INTERFACE)
add_library(BuildScope::Options ALIAS buildscope_options)

target_compile_features(buildscope_options INTERFACE cxx_std_20)

if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(buildscope_options INTERFACE
        -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
        -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual -Wnull-dereference
        $<$<BOOL:${BUILDSCOPE_WARNINGS_AS_ERRORS}>:-Werror>)
    if(BUILDSCOPE_SANITIZE)
        target_compile_options(buildscope_options INTERFACE
            -fsanitize=${BUILDSCOPE_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
        target_link_options(buildscope_options INTERFACE -fsanitize=${BUILDSCOPE_SANITIZE})
    endif()
    if(BUILDSCOPE_BUILD_FUZZERS)
        if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
            message(FATAL_ERROR "BUILDSCOPE_BUILD_FUZZERS needs clang (libFuzzer); use the 'fuzz' preset")
        endif()
        # Coverage instrumentation for libFuzzer in every BuildScope library; only the fuzz
        # targets link libFuzzer's main (-fsanitize=fuzzer, fuzz/CMakeLists.txt).
        target_compile_options(buildscope_options INTERFACE -fsanitize=fuzzer-no-link)
    endif()
    if(BUILDSCOPE_LIBCXX)
        if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
            message(FATAL_ERROR "BUILDSCOPE_LIBCXX needs clang; use the 'libcxx' preset")
        endif()
        # Our code only: the Debian libraries we link (Qt, yaml-cpp, libfmt) stay built against
        # libstdc++, so std types must not cross into them (docs/INSTALL.md, "libc++").
        target_compile_options(buildscope_options INTERFACE -stdlib=libc++)
        target_link_options(buildscope_options INTERFACE -stdlib=libc++)
    endif()
elseif(MSVC)
    target_compile_options(buildscope_options INTERFACE /W4 $<$<BOOL:${BUILDSCOPE_WARNINGS_AS_ERRORS}>:/WX>)
endif()
