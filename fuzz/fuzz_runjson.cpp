// libFuzzer target: reading a report's run.json (readRunReport). The input is written as
// run.json into a scratch report directory whose CSV files are valid for a run of one
// step, so a run.json that passes goes on through the CSV readers. ReportError is
// expected; a crash, a sanitizer report or any other exception is a finding.
#include "fuzzscratch.h"
#include "report/reportreader.h"
#include "report/reportwriter.h"

#include <cstddef>
#include <cstdint>
#include <fstream>

namespace {

const std::filesystem::path& reportDirectory()
{
    static const std::filesystem::path directory = [] {
        const std::filesystem::path report = buildscope::fuzz::scratchDirectory() / "report";
        std::filesystem::create_directories(report);
        // The CSV files of a real two-step report (buildscope run, --report), matching
        // corpus/runjson/two-steps.json.
        std::ofstream(report / buildscope::kStepsCsv, std::ios::binary)
            << "name,type,status,count,start_s,end_s,wall_s,wall_p50_s,wall_p95_s,wall_p99_s,cpu_user_s,cpu_sys_s,cpu_"
               "s,peak_rss_bytes,peak_rss_scope,allocations,allocated_bytes,allocations_per_op,bytes_per_op,exit_code,"
               "signal,note\r\n"
               "sum,checksum,succeeded,1,0.005399979,0.005916359,0.00051638,0.00051638,0.00051638,0.00051638,0.000332,"
               "0,0.000332,11583488,engine,21,172232,21,172232,,,\"xxh3-128:v1:870570bc53fb559f60c012e6c493ff8b (1 "
               "files, 96 bytes)\"\r\n"
               "hello,run,succeeded,1,0.005968727,0.009131845,0.003163118,0.003163118,0.003163118,0.003163118,0.000668,"
               "0,0.000668,11247616,process_tree,75,48312,75,48312,0,,\r\n"
               "fingerprint,operation,,1,,,0.00048319000000000004,0.00048319000000000004,0.00048319000000000004,0."
               "00048319000000000004,,,0.00023864100000000002,,,12,90720,12,90720,,,\r\n";
        std::ofstream(report / buildscope::kPoolsCsv, std::ios::binary)
            << "pool,class_bytes,acquires,hits,misses,releases,discards,hit_rate,retained_bytes,retained_high_water_"
               "bytes,max_retained_bytes\r\n"
               "io.4KiB,4096,0,0,0,0,0,,0,0,1048576\r\n"
               "io.32KiB,32768,1,0,1,1,0,0,65536,65536,4194304\r\n"
               "io.128KiB,131072,0,0,0,0,0,,0,0,8388608\r\n"
               "hash.64KiB,65536,2,0,2,2,0,0,131072,131072,4194304\r\n"
               "tar.64KiB,65536,0,0,0,0,0,,0,0,4194304\r\n"
               "string.256B,256,0,0,0,0,0,,0,0,262144\r\n"
               "string.4KiB,4096,0,0,0,0,0,,0,0,262144\r\n";
        std::ofstream(report / buildscope::kSamplesCsv, std::ios::binary)
            << "time_s,bucket_s,samples,step,engine_rss_bytes,engine_peak_rss_bytes,tree_rss_bytes,tree_processes,heap_"
               "live_bytes,heap_peak_live_bytes,heap_allocations,heap_frees,heap_allocated_bytes,io.4KiB.acquires,io."
               "4KiB.hits,io.4KiB.retained_bytes,io.32KiB.acquires,io.32KiB.hits,io.32KiB.retained_bytes,io.128KiB."
               "acquires,io.128KiB.hits,io.128KiB.retained_bytes,hash.64KiB.acquires,hash.64KiB.hits,hash.64KiB."
               "retained_bytes,tar.64KiB.acquires,tar.64KiB.hits,tar.64KiB.retained_bytes,string.256B.acquires,string."
               "256B.hits,string.256B.retained_bytes,string.4KiB.acquires,string.4KiB.hits,string.4KiB.retained_bytes,"
               "tree_rss_bytes_max,engine_rss_bytes_max,heap_live_bytes_max\r\n"
               "0.000440412,0,1,,11309056,11309056,,,63080,63528,734,503,120064,0,0,0,1,0,32768,0,0,0,0,0,0,0,0,0,0,0,"
               "0,0,0,0,,11309056,63080\r\n"
               "0.009156381,0,1,,11657216,11657216,,,502104,509000,844,592,602024,0,0,0,2,0,65536,0,0,0,2,0,131072,0,0,"
               "0,0,0,0,0,0,0,,11657216,502104\r\n";
        return report;
    }();
    return directory;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::filesystem::path& directory = reportDirectory();
    {
        std::ofstream out(directory / buildscope::kRunJson, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    try {
        const buildscope::LoadedReport report = buildscope::readRunReport(directory);
        (void)report;
    } catch (const buildscope::ReportError&) { }
    return 0;
}
