#pragma once

#include "run/processrecord.h"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace buildscope {

// The identity of a process across runs (docs/METRICS.md "Process keys"): the same command
// of the same build gets the same key in every run, so history and compare can follow it.
//
// Compilers, assemblers and linkers (gcc, g++, cc, c++, cc1, cc1plus, clang, clang++, as,
// ld, lld, gold, collect2, rustc, javac, ...): the tool and its main input and output,
// relative to the context — "cc1plus src/parser.cpp", "c++ src/parser.cpp ->
// build/parser.o", "ld -> build/app". Anything else: the program and its arguments,
// with volatile parts replaced (temporary paths by <tmp>, the process's own pid by
// <pid>), at most kMaxKeyBytes.
std::string processKey(const ProcessRecord& record, const std::filesystem::path& context);

// The tool a compiler-like program is, or empty: "g++-12" -> "g++",
// "x86_64-linux-gnu-gcc" -> "gcc", "clang++-14" -> "clang++", "ld.lld" -> "ld.lld".
std::string compilerTool(std::string_view program);

inline constexpr std::size_t kMaxKeyBytes = 240;

} // namespace buildscope
