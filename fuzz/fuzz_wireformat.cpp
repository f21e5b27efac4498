// libFuzzer target: the live endpoint's wire format as a viewer reads it (docs/PROTOCOL.md).
// The input is a byte stream from an engine: cut into lines, each decoded and applied to a
// viewer's mirror of the run. WireError is the expected way to refuse a bad stream; a
// crash, a sanitizer report or any other exception is a finding.
#include "live/livemirror.h"
#include "live/wireformat.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    buildscope::live::LineReader lines;
    buildscope::live::LiveMirror mirror;
    try {
        lines.feed(std::string_view(reinterpret_cast<const char*>(data), size), [&](std::string_view line) {
            mirror.apply(buildscope::live::decode(line));
        });
    } catch (const buildscope::live::WireError&) {
        return 0;
    }
    // What the mirror holds must be readable as a viewer reads it.
    const buildscope::live::LiveMirror::View view = mirror.view();
    if (view.store)
        (void)view.store->snapshot().range(0, 1e9, 16);
    return 0;
}
