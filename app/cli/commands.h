#pragma once

#include <string>
#include <vector>

namespace buildscope::cli {

// Each subcommand takes its arguments (after the subcommand name) and returns an exit
// code from exitcodes.h. Usage errors are thrown as UsageError.
int runCommand(const std::vector<std::string>& args);
int validateCommand(const std::vector<std::string>& args);
int checksumCommand(const std::vector<std::string>& args);
int tarCommand(const std::vector<std::string>& args);
int compareCommand(const std::vector<std::string>& args);
int historyCommand(const std::vector<std::string>& args);
int bisectCommand(const std::vector<std::string>& args);

} // namespace buildscope::cli
