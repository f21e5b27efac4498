#include "arguments.h"
#include "commands.h"
#include "context/contexterror.h"
#include "context/fingerprint.h"
#include "contextoptions.h"
#include "exitcodes.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <chrono>
#include <cstdio>
#include <filesystem>

namespace buildscope::cli {

int checksumCommand(const std::vector<std::string>& args)
{
    std::vector<Arguments::Option> options = ignoreOptions();
    options.push_back({"--json", "", false});
    options.push_back({"--threads", "-j", true});
    const Arguments arguments(args, options);
    arguments.expectPositionals(1, 1);
    const std::filesystem::path directory = arguments.positional(0, "DIR");
    FingerprintOptions fingerprintOptions;
    // 0: one per core (FingerprintOptions' default).
    fingerprintOptions.threads = static_cast<unsigned>(arguments.integerOption("--threads", 1, kMaxThreads, 0));
    try {
        const auto start = std::chrono::steady_clock::now();
        const Fingerprint fingerprint
            = fingerprintContext(directory, contextIgnoreRules(arguments, directory), fingerprintOptions);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (arguments.has("--json")) {
            QJsonObject object;
            object["directory"] = QString::fromStdString(directory.string());
            object["digest"] = QString::fromStdString(fingerprint.digest);
            object["entries"] = static_cast<double>(fingerprint.entries);
            object["files"] = static_cast<double>(fingerprint.files);
            object["bytes"] = static_cast<double>(fingerprint.bytes);
            object["seconds"] = seconds;
            std::printf("%s", QJsonDocument(object).toJson(QJsonDocument::Indented).constData());
        } else {
            std::printf("%s  %s\n", fingerprint.digest.c_str(), directory.c_str());
        }
        return ExitOk;
    } catch (const ContextError& error) {
        std::fprintf(stderr, "buildscope checksum: %s\n", error.what());
        return ExitUsage;
    }
}

} // namespace buildscope::cli
