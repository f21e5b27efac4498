#include "spec/imageuri.h"

#include <stdexcept>

namespace buildscope {

namespace {

constexpr std::string_view kDigestPlaceholder = "{digest";
constexpr std::size_t kWholeDigest = 0; // "{digest}": no length given

// Walks a tag template, calling onLiteral for plain text and onDigest(N) for each
// placeholder (kWholeDigest for "{digest}"). Throws std::invalid_argument on a
// malformed placeholder, so validation and expansion share one definition.
template<typename OnLiteral, typename OnDigest>
void walkTag(std::string_view tag, OnLiteral&& onLiteral, OnDigest&& onDigest)
{
    std::size_t literalStart = 0;
    std::size_t i = 0;
    while ((i = tag.find('{', literalStart)) != std::string_view::npos) {
        onLiteral(tag.substr(literalStart, i - literalStart));
        const std::size_t close = tag.find('}', i);
        const std::string_view placeholder
            = tag.substr(i, close == std::string_view::npos ? std::string_view::npos : close + 1 - i);
        auto bad = [&](const std::string& why) {
            return std::invalid_argument(
                "bad placeholder '" + std::string(placeholder) + "' in image tag '" + std::string(tag) + "': " + why);
        };
        if (close == std::string_view::npos)
            throw bad("missing '}'; expected {digest} or {digest:N}");
        if (placeholder == "{digest}") {
            onDigest(kWholeDigest);
        } else if (placeholder.starts_with(kDigestPlaceholder) && placeholder[kDigestPlaceholder.size()] == ':') {
            const std::string_view digits
                = placeholder.substr(kDigestPlaceholder.size() + 1, placeholder.size() - kDigestPlaceholder.size() - 2);
            std::size_t n = 0;
            bool numeric = !digits.empty() && digits.size() <= 3;
            for (char c : digits) {
                if (c < '0' || c > '9') {
                    numeric = false;
                    break;
                }
                n = n * 10 + static_cast<std::size_t>(c - '0');
            }
            if (!numeric || n < 1 || n > kMaxDigestPrefix)
                throw bad("N must be a number from 1 to " + std::to_string(kMaxDigestPrefix));
            onDigest(n);
        } else {
            throw bad("expected {digest} or {digest:N}");
        }
        literalStart = close + 1;
    }
    onLiteral(tag.substr(literalStart));
}

std::string_view digestHexPart(std::string_view digest) noexcept
{
    // "xxh3-128:v1:<hex>": the algorithm and version prefix never appear in a tag.
    const std::size_t colon = digest.rfind(':');
    return colon == std::string_view::npos ? digest : digest.substr(colon + 1);
}

} // namespace

std::string imageUri(std::string_view registry, std::string_view repository, std::string_view tag)
{
    // Sized first so the string allocates at most once (none when it fits the small-string
    // buffer); the seed's pooled builder took 9 allocations for 4 URIs.
    const std::size_t size
        = (registry.empty() ? 0 : registry.size() + 1) + repository.size() + (tag.empty() ? 0 : tag.size() + 1);
    std::string uri;
    uri.reserve(size);
    if (!registry.empty())
        uri.append(registry).push_back('/');
    uri.append(repository);
    if (!tag.empty())
        uri.append(1, ':').append(tag);
    return uri;
}

std::string imageUri(const ImageSpec& image, std::string_view digest)
{
    const std::string_view hex = digestHexPart(digest);
    auto digestPart = [&](std::size_t n) {
        if (hex.empty()) {
            throw std::invalid_argument("image tag '" + image.tag
                + "' needs the context digest, but none was given (run the checksum step first)");
        }
        return n == kWholeDigest ? hex : hex.substr(0, n);
    };

    std::size_t tagSize = 0;
    walkTag(
        image.tag, [&](std::string_view literal) { tagSize += literal.size(); },
        [&](std::size_t n) { tagSize += digestPart(n).size(); });

    const std::size_t size = (image.registry.empty() ? 0 : image.registry.size() + 1) + image.repository.size()
        + (tagSize == 0 ? 0 : tagSize + 1);
    std::string uri;
    uri.reserve(size);
    if (!image.registry.empty())
        uri.append(image.registry).push_back('/');
    uri.append(image.repository);
    if (tagSize != 0) {
        uri.push_back(':');
        walkTag(
            image.tag, [&](std::string_view literal) { uri.append(literal); },
            [&](std::size_t n) { uri.append(digestPart(n)); });
    }
    return uri;
}

void validateTagTemplate(std::string_view tag)
{
    walkTag(
        tag, [](std::string_view) {}, [](std::size_t) {});
}

bool tagNeedsDigest(std::string_view tag)
{
    bool needs = false;
    walkTag(
        tag, [](std::string_view) {}, [&](std::size_t) { needs = true; });
    return needs;
}

std::string sampleTag(std::string_view tag, char fill)
{
    std::string sample;
    walkTag(
        tag, [&](std::string_view literal) { sample.append(literal); },
        [&](std::size_t n) { sample.append(n == kWholeDigest ? kMaxDigestPrefix : n, fill); });
    return sample;
}

} // namespace buildscope
