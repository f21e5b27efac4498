#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace buildscope {

// Which runs RunHistory::list() returns. Empty fields do not filter; every label given
// must be present with that value. Every member has an initializer, so designated
// initializers may name any subset: list({.specName = "demo", .limit = 5}).
struct RunFilter
{
    std::string specName {};
    std::vector<std::pair<std::string, std::string>> labels {};
    std::string status {}; // running | succeeded | failed | cancelled | interrupted
    std::size_t limit = 0; // 0: no limit
};

} // namespace buildscope
