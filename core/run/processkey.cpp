#include "run/processkey.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <iterator>

namespace buildscope {

namespace {

constexpr std::array<std::string_view, 22> kCompilerTools {"gcc", "g++", "cc", "c++", "cc1", "cc1plus", "cc1obj",
    "clang", "clang++", "clang-cl", "as", "ld", "ld.bfd", "ld.gold", "ld.lld", "lld", "gold", "collect2", "rustc",
    "javac", "nvcc", "ar"};

constexpr std::array<std::string_view, 14> kSourceExtensions {".c", ".cc", ".cpp", ".cxx", ".c++", ".C", ".m",
    ".mm", ".s", ".S", ".rs", ".java", ".cu", ".ii"};

bool endsWith(std::string_view text, std::string_view suffix)
{
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool isSource(std::string_view argument)
{
    return std::any_of(kSourceExtensions.begin(), kSourceExtensions.end(),
        [&](std::string_view extension) { return endsWith(argument, extension); });
}

// A temporary file: one directly inside a temporary directory (/tmp/ccA1b2C3.s, the
// names mkstemp makes, new every run). A file deeper down (/tmp/src/parser.cpp, a tree
// checked out in /tmp) is a file like any other.
bool isTemporary(std::string_view path)
{
    static const std::string tmpdir = [] {
        const char* value = std::getenv("TMPDIR");
        std::string directory = value && *value ? value : "";
        while (directory.size() > 1 && directory.back() == '/')
            directory.pop_back();
        return directory;
    }();
    const std::string parent = std::filesystem::path(path).parent_path().string();
    return parent == "/tmp" || parent == "/var/tmp" || parent == "/dev/shm" || (!tmpdir.empty() && parent == tmpdir);
}

// How many directories up `relative` goes before it goes down ("../../src/a.cc": 2).
std::size_t levelsUp(const std::filesystem::path& relative)
{
    std::size_t up = 0;
    for (const std::filesystem::path& part : relative) {
        if (part != "..")
            break;
        ++up;
    }
    return up;
}

// A path as the key shows it: relative to the context when inside it; <tmp> for
// temporary files (their names change every run); relative with ".." when it is near the
// context, below a directory they share other than the root, at most kMaxLevelsUp up (an
// out-of-tree build run in build/ with its sources in ../src: the same key on every
// machine whatever the checkout's path); else as given (a system file, /usr/include/...).
std::string keyPath(std::string_view argument, const ProcessRecord& record, const std::filesystem::path& context)
{
    constexpr std::size_t kMaxLevelsUp = 3;
    std::filesystem::path path(argument);
    if (path.is_relative() && !record.workingDirectory.empty())
        path = std::filesystem::path(record.workingDirectory) / path;
    path = path.lexically_normal();
    // Inside the context first: a build in /tmp is still a build, its files are not temporary.
    std::filesystem::path relative;
    if (!context.empty()) {
        relative = path.lexically_relative(context);
        if (!relative.empty() && !relative.string().starts_with(".."))
            return relative.string();
    }
    if (isTemporary(path.string()))
        return "<tmp>";
    if (!relative.empty() && path.is_absolute()) {
        const std::size_t up = levelsUp(relative);
        const std::filesystem::path normalContext = context.lexically_normal();
        const auto contextDepth
            = static_cast<std::size_t>(std::distance(normalContext.begin(), normalContext.end())); // "/", "work", "proj": 3
        // Going up to the root ("/" and nothing shared) is not near: keep it absolute.
        if (up <= kMaxLevelsUp && up + 1 < contextDepth)
            return relative.string();
    }
    return std::string(argument);
}

std::string compilerKey(const std::string& tool, const ProcessRecord& record, const std::filesystem::path& context)
{
    std::string output;
    std::string input;
    std::string dumpDirectory; // gcc's cc1/cc1plus: the folder of the driver's output
    const std::vector<std::string>& argv = record.argv;
    for (std::size_t i = 1; i < argv.size(); ++i) {
        const std::string& argument = argv[i];
        if (argument == "-dumpdir" && i + 1 < argv.size()) {
            dumpDirectory = argv[++i];
        } else if ((argument == "-dumpbase" || argument == "-dumpbase-ext") && i + 1 < argv.size()) {
            ++i; // a file name that looks like a source; not the input
        } else if ((argument == "-o" || argument == "-d" || argument == "--out-dir") && i + 1 < argv.size()) {
            output = keyPath(argv[++i], record, context);
        } else if (argument.starts_with("-o") && argument.size() > 2 && tool != "rustc") {
            output = keyPath(std::string_view(argument).substr(2), record, context);
        } else if (input.empty() && !argument.starts_with("-") && isSource(argument)) {
            input = keyPath(argument, record, context);
        }
    }
    // Temporary intermediates (cc1plus -o /tmp/ccX.s, as reading /tmp/ccX.s) say nothing
    // about which compile it is; the other end does.
    if (output == "<tmp>")
        output.clear();
    if (input == "<tmp>")
        input.clear();
    // The same source compiled for two targets (a library and its header-only test, say)
    // is two compiles: gcc tells its compiler proper the folder of the object (-dumpdir
    // DIR/), which tells them apart when the output itself is a temporary.
    std::string folder;
    if (output.empty() && !dumpDirectory.empty()) {
        folder = keyPath(dumpDirectory, record, context);
        while (folder.size() > 1 && folder.back() == '/')
            folder.pop_back();
        if (folder == ".")
            folder.clear();
    }
    std::string key = tool;
    if (!input.empty())
        key += " " + input;
    if (!output.empty())
        key += " -> " + output;
    else if (!folder.empty() && folder != "<tmp>")
        key += " in " + folder;
    return key;
}

std::string genericKey(const ProcessRecord& record, const std::filesystem::path& context)
{
    const std::string program = record.argv.empty() ? std::filesystem::path(record.executable).filename().string()
                                                    : std::filesystem::path(record.argv.front()).filename().string();
    std::string key = program;
    const std::string pid = std::to_string(record.pid);
    for (std::size_t i = 1; i < record.argv.size() && key.size() < kMaxKeyBytes; ++i) {
        std::string argument = record.argv[i];
        if (argument == pid)
            argument = "<pid>";
        else if (argument.starts_with('/'))
            argument = keyPath(argument, record, context);
        else if (argument.find('/') != std::string::npos && isTemporary(argument))
            argument = "<tmp>";
        key += " " + argument;
    }
    if (key.size() > kMaxKeyBytes)
        key.resize(kMaxKeyBytes);
    return key;
}

} // namespace

std::string compilerTool(std::string_view program)
{
    std::string name(std::filesystem::path(program).filename().string());
    // A version behind (g++-12, clang++-14, gcc-12.2).
    const std::size_t dash = name.rfind('-');
    if (dash != std::string::npos && dash + 1 < name.size()
        && std::all_of(name.begin() + static_cast<std::ptrdiff_t>(dash) + 1, name.end(),
            [](char c) { return (c >= '0' && c <= '9') || c == '.'; }))
        name.resize(dash);
    // A target triple in front (x86_64-linux-gnu-gcc, aarch64-none-elf-ld).
    for (std::string_view tool : kCompilerTools) {
        if (name.size() > tool.size() && endsWith(name, tool) && name[name.size() - tool.size() - 1] == '-') {
            name = std::string(tool);
            break;
        }
    }
    return std::find(kCompilerTools.begin(), kCompilerTools.end(), name) != kCompilerTools.end() ? name
                                                                                                : std::string();
}

std::string processKey(const ProcessRecord& record, const std::filesystem::path& context)
{
    const std::string program = !record.argv.empty() ? record.argv.front() : record.executable;
    std::string tool = compilerTool(program);
    if (tool.empty())
        tool = compilerTool(record.executable); // argv[0] may be a wrapper name (ccache, distcc)
    std::string key = tool.empty() ? genericKey(record, context) : compilerKey(tool, record, context);
    if (key.size() > kMaxKeyBytes)
        key.resize(kMaxKeyBytes);
    return key;
}

} // namespace buildscope
