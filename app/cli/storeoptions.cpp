#include "storeoptions.h"

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
