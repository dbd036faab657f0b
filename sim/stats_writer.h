// Writers of the statistics registry: gem5-like text (`name value # description`, one per line)
// and one JSON object (name -> number). Both list every registered statistic, zeros included,
// sorted by name. A histogram (histogram.h) takes its place in that order as gem5 prints a
// Distribution: lines `name::samples`, `::mean`, `::stdev`, `::underflows`, one `name::lo-hi
// count pct cum%` per bucket, `::overflows`, `::min_value`, `::max_value`, `::sum`, `::total`;
// in JSON it is one object (samples, sum, mean, stdev, min_value, max_value, underflows,
// overflows, buckets: [{label, lo, hi, count}]). docs/stats.md describes both.
#pragma once

#include "stats_registry.h"

#include <cstdio>

namespace httusim {

void write_stats_text(std::FILE *out, const StatsRegistry &stats);
void write_stats_json(std::FILE *out, const StatsRegistry &stats);

} // namespace httusim
