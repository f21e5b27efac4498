#include "context/servicebuild.h"

#include "context/fileread.h"
#include "context/walkinternal.h"

#include <algorithm>

namespace buildscope {

namespace {

class ProtoSink final : public detail::WalkSink
{
public:
    void add(ContextEntry&& entry) override
    {
        if (entry.type == ContextEntry::Type::File && entry.path.ends_with(".proto"))
            files.push_back(std::move(entry.path));
    }
    std::vector<std::string> files;
};

} // namespace

ServiceBuild discoverServiceBuild(const std::filesystem::path& context, const IgnoreRules& rules)
{
    const FileDescriptor root(detail::openContext(context));
    ProtoSink sink;
    // Names are all it needs: no stat of files the directory entry already calls files.
    detail::walkTree(root.get(), rules, detail::FileStat::Defer, sink);

    ServiceBuild build;
    build.protoFiles = std::move(sink.files);
    std::sort(build.protoFiles.begin(), build.protoFiles.end());
    for (const std::string& file : build.protoFiles) {
        const std::size_t slash = file.rfind('/');
        build.protoPackages.push_back(slash == std::string::npos ? std::string(".") : file.substr(0, slash));
    }
    // Directories are not in file order: "a/b/z.proto" sorts before "a/x.proto", "a/b" after "a".
    std::sort(build.protoPackages.begin(), build.protoPackages.end());
    build.protoPackages.erase(
        std::unique(build.protoPackages.begin(), build.protoPackages.end()), build.protoPackages.end());
    return build;
}

} // namespace buildscope
