// `httusim --compare "<options A>" "<options B>" [--compare-all] [--compare-out=DIR] FW.elf
// [-- firmware args...]`: runs the same ELF once with each option set and prints the counters
// side by side with the ratio B/A, and both firmware RESULT lines (docs/study.md).
//
// SystemC allows one elaboration per process, so each configuration runs in a child process of
// this same executable (/proc/self/exe, posix_spawn, no shell) with --stats-json to a temporary
// directory; the two children run concurrently. Nothing here touches SystemC: main() dispatches
// to compare_main before elaborating anything.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace httusim {

// True when argv asks for a comparison (argv[1] == "--compare").
bool is_compare_command(int argc, const char *const *argv);

// The whole command. Returns 0 when both runs exited 0 and the table was printed, 2 for a bad
// command line, otherwise the first failing child's exit status (1 if it died of a signal or
// could not be started; SIGINT / SIGTERM are passed on to the children, which exit 130 / 143),
// or 6 when standard output could not be written.
int compare_main(int argc, const char *const *argv);

// ---- pieces, exposed for tests

// Splits an option string into words at blanks; '...' and "..." quote, backslash escapes one
// character (outside single quotes). False (and `error` set) on an unterminated quote.
bool split_options(const std::string &text, std::vector<std::string> &words, std::string &error);

// One counter as read from a stats JSON file: its text as written, and its value.
struct CounterValue {
    std::string text;
    long double value = 0;
};
using CounterMap = std::map<std::string, CounterValue>;

// Parses the `{"name": number, ...}` object that --stats-json writes; a histogram's value (an
// object, docs/stats.md) is skipped: the counters are compared, not the distributions. False
// (and `error` set) on anything else.
bool parse_stats_json(const std::string &json, CounterMap &counters, std::string &error);

// The last line of `output` that starts with "RESULT ", or "" when there is none.
std::string find_result_line(const std::string &output);

// The side-by-side table. Rows are grouped by the first name component, groups in the order
// sim, cpu, mmu, hvc, cache, then the others alphabetically; names sorted within a group. Rows
// that are zero (or absent) in both runs are left out unless `all`.
std::string format_compare_table(const CounterMap &a, const CounterMap &b, bool all);

} // namespace httusim
