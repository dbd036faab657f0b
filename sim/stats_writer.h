// Writers of the statistics registry: gem5-like text (`name value # description`, one per line)
// and one JSON object (name -> number). Both list every registered statistic, zeros included,
// sorted by name.
#pragma once

#include "stats_registry.h"

#include <cstdio>

namespace httusim {

void write_stats_text(std::FILE *out, const StatsRegistry &stats);
void write_stats_json(std::FILE *out, const StatsRegistry &stats);

} // namespace httusim
