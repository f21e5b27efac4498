#pragma once

#include "spec/buildspec.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace buildscope {

// "registry/repository:tag" (no "registry/" when the registry is empty). One allocation:
// the result's exact size is computed first.
std::string imageUri(std::string_view registry, std::string_view repository, std::string_view tag);

// The image of a spec with "{digest}" / "{digest:N}" in its tag replaced by the hex part
// of `digest` (e.g. "xxh3-128:v1:0123abcd..." -> "0123abcd..." or its first N chars).
std::string imageUri(const ImageSpec& image, std::string_view digest);

// Checks a tag template: every '{' must open "{digest}" or "{digest:N}" with N from 1 to
// kMaxDigestPrefix. Throws std::invalid_argument saying what is wrong.
void validateTagTemplate(std::string_view tag);
// Whether the tag holds a digest placeholder (then imageUri() needs a digest).
bool tagNeedsDigest(std::string_view tag);
// The tag with each placeholder replaced by `fill` repeated to the placeholder's length
// (kMaxDigestPrefix for "{digest}"), so its characters and length can be checked early.
std::string sampleTag(std::string_view tag, char fill = '0');

inline constexpr std::size_t kMaxDigestPrefix = 32; // an xxh3-128 digest has 32 hex digits

} // namespace buildscope
