#include "storeoptions.h"

#include "history/storefilecheck.h"

#include <cstdio>

namespace buildscope::cli {

Arguments::Option storeOption()
{
    return {"--store", "", true};
}

namespace {

std::filesystem::path storePath(const Arguments& arguments)
{
    const std::optional<std::string> path = arguments.value("--store");
    // An empty path would reach SQLite as "a temporary database" and the store as ''.
    if (path && path->empty())
        throw UsageError("--store expects the path of a store file, got ''");
    return path ? std::filesystem::path(*path) : RunHistory::defaultPath();
}

} // namespace

std::unique_ptr<RunHistory> openStoreForReading(const Arguments& arguments)
{
    return std::make_unique<RunHistory>(storePath(arguments));
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
        // A run that cannot be recorded does not start (issue 18.3): never "exit 0, this run
        // is not stored".
        const std::filesystem::path file = storePath(arguments);
        if (const std::string problem = storeWriteProblem(file); !problem.empty())
            throw HistoryError(file, problem + "; this run could not be recorded, so it does not start");
        std::unique_ptr<RunHistory> history = openStore(arguments);
        if (history->isReadOnly())
            throw HistoryError(file,
                "the store cannot be written by this user; this run could not be recorded, so "
                "it does not start");
        return history;
    } catch (const HistoryError& error) {
        std::fprintf(stderr, "buildscope %s: %s\n(use --store PATH for another store, or --no-store)\n", command,
            error.what());
        return std::nullopt;
    }
}

} // namespace buildscope::cli
