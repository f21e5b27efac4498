#include "bisect/bisecttarget.h"

#include "io/boundedfile.h"
#include "spec/specloader.h"

namespace buildscope {

namespace {

constexpr std::uint64_t kMaxSpecBytes = 1024 * 1024; // as the spec loader's limit

std::filesystem::path mapped(const std::filesystem::path& path, const std::filesystem::path& userTopLevel,
    const std::filesystem::path& checkoutRoot)
{
    if (path.empty())
        return path;
    const std::optional<std::filesystem::path> relative = pathInside(path, userTopLevel);
    if (!relative)
        return path;
    return relative->empty() ? checkoutRoot : (checkoutRoot / *relative).lexically_normal();
}

} // namespace

std::optional<std::filesystem::path> pathInside(
    const std::filesystem::path& path, const std::filesystem::path& topLevel)
{
    std::error_code error;
    const std::filesystem::path resolved = std::filesystem::weakly_canonical(path, error);
    const std::filesystem::path top = std::filesystem::weakly_canonical(topLevel, error);
    const std::filesystem::path relative = resolved.lexically_relative(top);
    if (relative.empty() || *relative.begin() == "..")
        return std::nullopt;
    return relative == "." ? std::filesystem::path() : relative;
}

BuildSpec specInCheckout(
    const BisectTarget& target, const std::filesystem::path& userTopLevel, const std::filesystem::path& checkoutRoot)
{
    if (!target.specFile)
        return commandSpec(target.command, mapped(target.directory, userTopLevel, checkoutRoot));

    const std::filesystem::path specFile = mapped(*target.specFile, userTopLevel, checkoutRoot);
    std::error_code error;
    BuildSpec spec;
    if (specFile != *target.specFile && std::filesystem::is_regular_file(specFile, error)) {
        spec = loadSpec(specFile);
    } else {
        // A spec the commit does not have (untracked, added later, outside the repository):
        // the user's, its relative paths resolved in the checkout.
        const std::string text = io::readRegularFile(*target.specFile, kMaxSpecBytes, "a spec");
        spec = parseSpec(text, target.specFile->string(), specFile.parent_path());
        spec.file = specFile;
    }
    // Absolute paths into the user's tree, too, are the checkout's.
    spec.context = mapped(spec.context, userTopLevel, checkoutRoot);
    if (spec.ignoreFile)
        spec.ignoreFile = mapped(*spec.ignoreFile, userTopLevel, checkoutRoot);
    for (StepSpec& step : spec.steps)
        step.tarOutput = mapped(step.tarOutput, userTopLevel, checkoutRoot);
    return spec;
}

} // namespace buildscope
