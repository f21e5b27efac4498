#include "storeoptions.h"

#include <cstdio>

namespace buildscope::cli {

Arguments::Option storeOption()
{
    return {"--store", "", true};
}

std::unique_ptr<RunHistory> openStoreForReading(const Arguments& arguments)
{
    const std::optional<std::string> path = arguments.value("--store");
    // An empty path would reach SQLite as "a temporary database" and the store as ''.
    if (path && path->empty())
        throw UsageError("--store expects the path of a store file, got ''");
    return std::make_unique<RunHistory>(path ? std::filesystem::path(*path) : RunHistory::defaultPath());
}

std::unique_ptr<RunHistory> openStore(const Arguments& arguments)
{
    std::unique_ptr<RunHistory> history = openStoreForReading(arguments);
    history->checkIntegrity();
    return history;
}

} // namespace buildscope::cli

namespace buildscope::cli {

std::optional<std::unique_ptr<RunHistory>> openRecordingStore(const Arguments& arguments, const char* command)
{
    if (arguments.has("--no-store"))
        return std::unique_ptr<RunHistory>();
    try {
        return openStore(arguments);
    } catch (const HistoryError& error) {
        std::fprintf(stderr, "buildscope %s: %s\n(use --store PATH for another store, or --no-store)\n", command,
            error.what());
        return std::nullopt;
    }
}

} // namespace buildscope::cli
