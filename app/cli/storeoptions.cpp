#include "storeoptions.h"

namespace buildscope::cli {

Arguments::Option storeOption()
{
    return {"--store", "", true};
}

std::unique_ptr<RunHistory> openStore(const Arguments& arguments)
{
    const std::optional<std::string> path = arguments.value("--store");
    return std::make_unique<RunHistory>(path ? std::filesystem::path(*path) : RunHistory::defaultPath());
}

} // namespace buildscope::cli
