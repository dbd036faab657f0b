#include "compare.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <signal.h>
#include <spawn.h>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace httusim {

namespace {

constexpr int kCompareUsage = 2;   // exit_status.h kExitUsage
constexpr int kCompareFailed = 1;  // a child died of a signal or could not be started
constexpr int kCompareOutputError = 6;   // exit_status.h kExitOutputError

// SIGINT / SIGTERM while the children run: passed on to them (a terminal's ^C reaches them
// anyway), which stop at their next quantum boundary and exit 130 / 143; the comparison then
// reports that status like any failing run's. A second signal kills at once.
volatile sig_atomic_t g_children[2] = {0, 0};

void forward_stop_signal(int sig)
{
    for (volatile sig_atomic_t &pid : g_children)
        if (pid > 0)
            kill(static_cast<pid_t>(pid), sig);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
}

void set_forwarding(bool on)
{
    struct sigaction sa = {};
    sa.sa_handler = on ? forward_stop_signal : SIG_DFL;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}

// Flushes standard output and checks it; false after one line on stderr.
bool stdout_written()
{
    errno = 0;
    if (std::fflush(stdout) == 0 && !std::ferror(stdout))
        return true;
    std::fprintf(stderr, "httusim: --compare: standard output: write error: %s\n",
                 errno ? std::strerror(errno) : "an earlier write failed");
    return false;
}

const char kUsage[] =
    "httusim --compare \"<options A>\" \"<options B>\" [--compare-all] [--compare-out=DIR] "
    "FW.elf [-- firmware args...]";

int usage_error(const std::string &message)
{
    std::fprintf(stderr, "httusim: --compare: %s (usage: %s)\n", message.c_str(), kUsage);
    return kCompareUsage;
}

void print_help()
{
    std::printf(
        "Usage: %s\n"
        "\n"
        "Runs FW.elf twice, once with each set of httusim options (one argument each, split at\n"
        "blanks; \"\" means the defaults), in two child processes of this executable, and prints\n"
        "the counters of both runs side by side with the ratio B/A ('-' when A is 0), grouped as\n"
        "sim, cpu, mmu, hvc, cache, then the others; and the firmware's RESULT lines, if any.\n"
        "\n"
        "  --compare-all        also print the counters that are 0 in both runs\n"
        "  --compare-out=DIR    keep each run's stats JSON, standard output and standard error\n"
        "                       in DIR (a.json, a.stdout, a.stderr, b.*) instead of a temporary\n"
        "                       directory\n"
        "\n"
        "Exit status: 0 when both runs exited 0; 2 for a bad command line; otherwise the first\n"
        "failing run's exit status (1 if it was killed by a signal; 130 / 143 when SIGINT /\n"
        "SIGTERM, passed on to both runs, stopped it), after one line naming it; 6 when the\n"
        "table could not be written to standard output.\n",
        kUsage);
}

std::string read_file(const std::string &path, bool &ok)
{
    std::ifstream in(path, std::ios::binary);
    ok = static_cast<bool>(in);
    std::ostringstream s;
    if (ok)
        s << in.rdbuf();
    return s.str();
}

std::vector<std::string> nonempty_lines(const std::string &text)
{
    std::vector<std::string> lines;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
            line.pop_back();
        if (!line.empty())
            lines.push_back(line);
    }
    return lines;
}

// "a b c" for the last `n` non-empty lines, joined with " | ".
std::string last_lines(const std::string &text, size_t n)
{
    std::vector<std::string> lines = nonempty_lines(text);
    size_t first = lines.size() > n ? lines.size() - n : 0;
    std::string s;
    for (size_t i = first; i < lines.size(); ++i)
        s += (s.empty() ? "" : " | ") + lines[i];
    return s;
}

bool is_zero(const CounterMap &m, const std::string &name)
{
    auto it = m.find(name);
    return it == m.end() || it->second.value == 0;
}

int group_rank(const std::string &group)
{
    static const char *const kOrder[] = {"sim", "cpu", "mmu", "hvc", "cache"};
    for (int i = 0; i < 5; ++i)
        if (group == kOrder[i])
            return i;
    return 5;
}

std::string group_of(const std::string &name)
{
    return name.substr(0, name.find('.'));
}

// key=value tokens of a RESULT line, in order.
std::vector<std::pair<std::string, std::string>> result_fields(const std::string &line)
{
    std::vector<std::pair<std::string, std::string>> fields;
    std::istringstream in(line);
    std::string word;
    while (in >> word) {
        size_t eq = word.find('=');
        if (eq != std::string::npos)
            fields.emplace_back(word.substr(0, eq), word.substr(eq + 1));
    }
    return fields;
}

struct Run {
    char label;                       // 'A' or 'B'
    std::string options_text;         // as given
    std::vector<std::string> options; // split
    std::string json_path, out_path, err_path;
    std::string uart_path;            // --uart=FILE among the options: the firmware's output
    pid_t pid = -1;
    int status = 0;                   // waitpid status
    std::string failure;              // why the run failed, or ""
    CounterMap counters;
    std::string result_line;
};

std::string describe(const Run &r)
{
    return std::string("run ") + r.label + " (" +
           (r.options_text.empty() ? std::string("defaults") : "\"" + r.options_text + "\"") + ")";
}

// Starts `exe` with `args`, stdin from /dev/null, stdout and stderr to the run's files.
bool spawn_run(const std::vector<std::string> &args, Run &r)
{
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, r.out_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, r.err_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::vector<char *> argv;
    for (const std::string &a : args)
        argv.push_back(const_cast<char *>(a.c_str()));
    argv.push_back(nullptr);
    int rc = posix_spawn(&r.pid, "/proc/self/exe", &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        r.failure = "could not be started: " + std::string(std::strerror(rc));
        r.pid = -1;
        return false;
    }
    return true;
}

std::string self_path(const char *argv0)
{
    char buf[4096];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0)
        return argv0;
    buf[n] = '\0';
    return buf;
}

std::string pad_left(const std::string &s, size_t width)
{
    return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}

std::string pad_right(const std::string &s, size_t width)
{
    return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

} // namespace

bool is_compare_command(int argc, const char *const *argv)
{
    return argc >= 2 && std::strcmp(argv[1], "--compare") == 0;
}

bool split_options(const std::string &text, std::vector<std::string> &words, std::string &error)
{
    words.clear();
    std::string word;
    bool in_word = false;
    char quote = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (quote == '\'') {
            if (c == '\'')
                quote = 0;
            else
                word += c;
        } else if (c == '\\' && i + 1 < text.size() && (quote == 0 || text[i + 1] == '"' ||
                                                        text[i + 1] == '\\')) {
            word += text[++i];
            in_word = true;
        } else if (quote == '"') {
            if (c == '"')
                quote = 0;
            else
                word += c;
        } else if (c == '\'' || c == '"') {
            quote = c;
            in_word = true;
        } else if (c == ' ' || c == '\t' || c == '\n') {
            if (in_word)
                words.push_back(word);
            word.clear();
            in_word = false;
        } else {
            word += c;
            in_word = true;
        }
    }
    if (quote) {
        error = std::string("unterminated ") + quote + " quote";
        return false;
    }
    if (in_word)
        words.push_back(word);
    return true;
}

// Moves i past the JSON object that starts at json[i] ('{'); false if it does not end.
static bool skip_json_object(const std::string &json, size_t &i)
{
    int depth = 0;
    bool in_string = false;
    for (; i < json.size(); ++i) {
        char c = json[i];
        if (in_string) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if ((c == '}' || c == ']') && --depth == 0) {
            ++i;
            return true;
        }
    }
    return false;
}

// Reads the number at json[i] into v, moving i past it; false if there is none.
static bool read_json_number(const std::string &json, size_t &i, CounterValue &v)
{
    size_t start = i;
    while (i < json.size() && std::strchr("+-0123456789.eE", json[i]) && json[i] != '\0')
        ++i;
    std::string text = json.substr(start, i - start);
    char *end = nullptr;
    v.text = text;
    v.value = text.empty() ? 0 : std::strtold(text.c_str(), &end);
    return !text.empty() && end == text.c_str() + text.size();
}

bool parse_stats_json(const std::string &json, CounterMap &counters, std::string &error)
{
    counters.clear();
    size_t i = 0;
    auto skip = [&] {
        while (i < json.size() && (json[i] == ' ' || json[i] == '\n' || json[i] == '\t' ||
                                   json[i] == '\r'))
            ++i;
    };
    auto fail = [&](const std::string &what) {
        error = what + " at offset " + std::to_string(i);
        return false;
    };
    skip();
    if (i >= json.size() || json[i] != '{')
        return fail("expected '{'");
    ++i;
    skip();
    if (i < json.size() && json[i] == '}')
        return true;
    for (;;) {
        skip();
        if (i >= json.size() || json[i] != '"')
            return fail("expected a counter name");
        std::string name;
        for (++i; i < json.size() && json[i] != '"'; ++i) {
            if (json[i] == '\\' && i + 1 < json.size())
                ++i;
            name += json[i];
        }
        if (i >= json.size())
            return fail("unterminated name");
        ++i;
        skip();
        if (i >= json.size() || json[i] != ':')
            return fail("expected ':'");
        ++i;
        skip();
        if (i < json.size() && json[i] == '{') {   // a histogram: not compared
            if (!skip_json_object(json, i))
                return fail("unterminated object for \"" + name + "\"");
        } else if (!read_json_number(json, i, counters[name])) {
            return fail("expected a number for \"" + name + "\"");
        }
        skip();
        if (i < json.size() && json[i] == ',') {
            ++i;
            continue;
        }
        if (i < json.size() && json[i] == '}')
            return true;
        return fail("expected ',' or '}'");
    }
}

std::string find_result_line(const std::string &output)
{
    std::string found;
    for (const std::string &line : nonempty_lines(output))
        if (line.compare(0, 7, "RESULT ") == 0)
            found = line;
    return found;
}

std::string format_compare_table(const CounterMap &a, const CounterMap &b, bool all)
{
    std::map<std::pair<int, std::string>, std::vector<std::string>> groups;
    for (const CounterMap *m : {&a, &b})
        for (const auto &kv : *m) {
            const std::string &name = kv.first;
            if (!all && is_zero(a, name) && is_zero(b, name))
                continue;
            std::string g = group_of(name);
            std::vector<std::string> &names = groups[{group_rank(g), g}];
            if (names.empty() || names.back() != name)
                names.push_back(name);
        }

    struct Row {
        std::string name, a, b, ratio;
    };
    std::vector<std::pair<std::string, std::vector<Row>>> table;
    size_t wname = std::strlen("counter"), wa = 1, wb = 1, wr = 3;
    for (auto &g : groups) {
        std::vector<std::string> &names = g.second;
        std::sort(names.begin(), names.end());
        names.erase(std::unique(names.begin(), names.end()), names.end());
        std::vector<Row> rows;
        for (const std::string &name : names) {
            auto ia = a.find(name), ib = b.find(name);
            Row r;
            r.name = "  " + name;
            r.a = ia == a.end() ? "n/a" : ia->second.text;
            r.b = ib == b.end() ? "n/a" : ib->second.text;
            if (ia == a.end() || ib == b.end() || ia->second.value == 0) {
                r.ratio = "-";
            } else {
                char buf[64];
                std::snprintf(buf, sizeof buf, "%.3Lf", ib->second.value / ia->second.value);
                r.ratio = buf;
            }
            wname = std::max(wname, r.name.size());
            wa = std::max(wa, r.a.size());
            wb = std::max(wb, r.b.size());
            wr = std::max(wr, r.ratio.size());
            rows.push_back(r);
        }
        table.emplace_back(g.first.second, rows);
    }

    std::string s = pad_right("counter", wname) + "  " + pad_left("A", wa) + "  " +
                    pad_left("B", wb) + "  " + pad_left("B/A", wr) + "\n";
    for (const auto &g : table) {
        s += g.first + "\n";
        for (const Row &r : g.second)
            s += pad_right(r.name, wname) + "  " + pad_left(r.a, wa) + "  " + pad_left(r.b, wb) +
                 "  " + pad_left(r.ratio, wr) + "\n";
    }
    if (table.empty())
        s += "(every counter is 0 in both runs)\n";
    return s;
}

namespace {

// What compare_main does next after a step: go on, or return `status`.
constexpr int kGoOn = -1;

struct CompareArgs {
    bool all = false;                  // --compare-all
    std::string keep_dir;              // --compare-out=DIR, or "" for a temporary directory
    std::vector<std::string> positional; // options A, options B, ELF file
    std::vector<std::string> fw_args;  // after --
};

// Reads the command line after "--compare": the comparison's own options, the positional
// arguments and the firmware arguments after --.
int parse_compare_args(int argc, const char *const *argv, CompareArgs &c)
{
    int i = 2;
    for (; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--") {
            ++i;
            break;
        }
        if (arg == "--help" || arg == "-h") {
            print_help();
            return stdout_written() ? 0 : kCompareOutputError;
        }
        if (arg == "--compare-all") {
            c.all = true;
        } else if (arg.compare(0, 14, "--compare-out=") == 0) {
            c.keep_dir = arg.substr(14);
            if (c.keep_dir.empty())
                return usage_error("--compare-out=: missing directory name");
        } else if (arg.compare(0, 9, "--compare") == 0) {
            return usage_error("unknown option '" + arg + "'");
        } else {
            c.positional.push_back(arg);
        }
    }
    for (; i < argc; ++i)
        c.fw_args.push_back(argv[i]);
    if (c.positional.size() < 1)
        return usage_error("missing the options of run A");
    if (c.positional.size() < 2)
        return usage_error("missing the options of run B");
    if (c.positional.size() < 3)
        return usage_error("missing the firmware ELF file");
    if (c.positional.size() > 3)
        return usage_error("unexpected argument '" + c.positional[3] +
                           "' after the ELF file (firmware arguments go after --)");
    return kGoOn;
}

// Splits and checks the option set of one run.
int parse_run_options(Run &r)
{
    std::string why;
    if (!split_options(r.options_text, r.options, why))
        return usage_error(std::string("options ") + r.label + ": " + why);
    for (const std::string &w : r.options) {
        if (w.size() < 3 || w[0] != '-' || w[1] != '-')
            return usage_error(std::string("options ") + r.label + ": '" + w +
                               "' is not an httusim option (the ELF file goes after both "
                               "option sets)");
        if (w.compare(0, 9, "--compare") == 0 || w == "--help" || w == "--version")
            return usage_error(std::string("options ") + r.label + ": '" + w +
                               "' cannot be used in a comparison");
        if (w.compare(0, 7, "--uart=") == 0)
            r.uart_path = w.substr(7);
    }
    return kGoOn;
}

int prepare_runs(const CompareArgs &c, Run (&runs)[2])
{
    for (int k = 0; k < 2; ++k) {
        runs[k].label = static_cast<char>('A' + k);
        runs[k].options_text = c.positional[k];
        int status = parse_run_options(runs[k]);
        if (status != kGoOn)
            return status;
    }
    if (!runs[0].uart_path.empty() && runs[0].uart_path == runs[1].uart_path)
        return usage_error("both runs would write the UART to " + runs[0].uart_path);
    return kGoOn;
}

// Where the children's files go: --compare-out's directory, or a new temporary one.
int make_output_dir(const std::string &keep_dir, std::string &dir)
{
    if (!keep_dir.empty()) {
        if (mkdir(keep_dir.c_str(), 0755) != 0 && errno != EEXIST) {
            std::fprintf(stderr, "httusim: --compare: cannot create %s: %s\n", keep_dir.c_str(),
                         std::strerror(errno));
            return kCompareUsage;
        }
        dir = keep_dir;
        return kGoOn;
    }
    const char *tmp = std::getenv("TMPDIR");
    std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/httusim-compare-XXXXXX";
    std::vector<char> buf(templ.begin(), templ.end());
    buf.push_back('\0');
    if (!mkdtemp(buf.data())) {
        std::fprintf(stderr, "httusim: --compare: cannot create a directory %s: %s\n",
                     templ.c_str(), std::strerror(errno));
        return kCompareFailed;
    }
    dir = buf.data();
    return kGoOn;
}

// Starts both runs as children of this process, each writing its statistics to dir.
void start_runs(const std::string &exe, const std::string &dir, const CompareArgs &c,
                Run (&runs)[2])
{
    const std::string &elf = c.positional[2];
    for (Run &r : runs) {
        std::string base = dir + "/" + static_cast<char>(r.label - 'A' + 'a');
        r.json_path = base + ".json";
        r.out_path = base + ".stdout";
        r.err_path = base + ".stderr";
        std::remove(r.json_path.c_str());
        std::vector<std::string> args{exe};
        args.insert(args.end(), r.options.begin(), r.options.end());
        args.push_back("--stats-json=" + r.json_path);
        args.push_back(elf);
        if (!c.fw_args.empty()) {
            args.push_back("--");
            args.insert(args.end(), c.fw_args.begin(), c.fw_args.end());
        }
        spawn_run(args, r);
    }
    for (int k = 0; k < 2; ++k)
        g_children[k] = runs[k].pid;
}

// Sets r.failure from how the child ended, with the last lines it wrote.
void note_abnormal_end(Run &r, const std::string &out, const std::string &err)
{
    std::string tail = last_lines(err, 3);
    std::string tail_what = "stderr";
    if (tail.empty()) {
        tail = last_lines(out, 3);
        tail_what = "output";
    }
    if (WIFSIGNALED(r.status)) {
        int sig = WTERMSIG(r.status);
        r.failure = "was killed by signal " + std::to_string(sig) + " (" + strsignal(sig) + ")";
    } else if (WIFEXITED(r.status) && WEXITSTATUS(r.status) != 0) {
        r.failure = "exited with status " + std::to_string(WEXITSTATUS(r.status));
    }
    if (!r.failure.empty() && !tail.empty())
        r.failure += "; last " + tail_what + ": " + tail;
}

// Waits for a started run, then reads its RESULT line and its statistics.
void collect_run(Run &r)
{
    while (waitpid(r.pid, &r.status, 0) < 0 && errno == EINTR) {
    }
    g_children[r.label - 'A'] = 0;
    bool ok_out = false, ok_err = false;
    std::string out = read_file(r.uart_path.empty() ? r.out_path : r.uart_path, ok_out);
    std::string err = read_file(r.err_path, ok_err);
    r.result_line = find_result_line(out);
    note_abnormal_end(r, out, err);
    if (!r.failure.empty())
        return;
    bool ok = false;
    std::string json = read_file(r.json_path, ok);
    std::string why;
    if (!ok)
        r.failure = "wrote no statistics (" + r.json_path + ")";
    else if (!parse_stats_json(json, r.counters, why))
        r.failure = "wrote unreadable statistics (" + r.json_path + ": " + why + ")";
}

// Collects both runs; reports each failure and returns the exit status of the first one (0 if
// both succeeded).
int collect_runs(Run (&runs)[2])
{
    int exit_status = 0;
    for (Run &r : runs) {
        if (r.pid > 0)
            collect_run(r);
        if (r.failure.empty())
            continue;
        std::fprintf(stderr, "httusim: --compare: %s %s\n", describe(r).c_str(),
                     r.failure.c_str());
        if (exit_status == 0)
            exit_status = WIFEXITED(r.status) && WEXITSTATUS(r.status) != 0
                              ? WEXITSTATUS(r.status)
                              : kCompareFailed;
    }
    return exit_status;
}

// The names of the RESULT fields whose values differ, or that only one line has.
std::string differing_result_fields(const std::string &line_a, const std::string &line_b)
{
    auto fa = result_fields(line_a), fb = result_fields(line_b);
    std::map<std::string, std::string> mb(fb.begin(), fb.end());
    std::string differ;
    for (const auto &kv : fa) {
        auto it = mb.find(kv.first);
        if (it == mb.end() || it->second != kv.second)
            differ += (differ.empty() ? "" : ", ") + kv.first;
    }
    std::map<std::string, std::string> ma(fa.begin(), fa.end());
    for (const auto &kv : fb)
        if (!ma.count(kv.first))
            differ += (differ.empty() ? "" : ", ") + kv.first;
    return differ;
}

void print_result_lines(const Run (&runs)[2])
{
    const Run &a = runs[0], &b = runs[1];
    if (a.result_line.empty() && b.result_line.empty()) {
        std::printf("  no RESULT line in either run\n");
        return;
    }
    for (const Run &r : runs)
        std::printf("  RESULT %c: %s\n", r.label,
                    r.result_line.empty() ? "(none)" : r.result_line.c_str() + 7);
    if (a.result_line == b.result_line) {
        std::printf("  RESULT lines: equal\n");
    } else if (!a.result_line.empty() && !b.result_line.empty()) {
        std::string differ = differing_result_fields(a.result_line, b.result_line);
        std::printf("  RESULT lines: differ (%s)\n",
                    differ.empty() ? "word order" : differ.c_str());
    } else {
        std::printf("  RESULT lines: differ (only one run printed one)\n");
    }
}

// Prints the comparison of two successful runs; returns the exit status.
int print_comparison(const CompareArgs &c, const Run (&runs)[2])
{
    std::string header = "httusim --compare: " + c.positional[2];
    if (!c.fw_args.empty()) {
        header += " --";
        for (const std::string &a : c.fw_args)
            header += " " + a;
    }
    std::printf("%s\n", header.c_str());
    for (const Run &r : runs)
        std::printf("  %c: %s\n", r.label,
                    r.options_text.empty() ? "(defaults)" : r.options_text.c_str());
    print_result_lines(runs);
    std::printf("\n%s", format_compare_table(runs[0].counters, runs[1].counters, c.all).c_str());
    if (!c.all)
        std::printf("(counters that are 0 in both runs are not shown: --compare-all)\n");
    if (!c.keep_dir.empty())
        std::printf("(outputs kept in %s)\n", c.keep_dir.c_str());
    return stdout_written() ? 0 : kCompareOutputError;
}

void remove_outputs(const Run (&runs)[2], const std::string &dir)
{
    for (const Run &r : runs)
        for (const std::string *p : {&r.json_path, &r.out_path, &r.err_path})
            std::remove(p->c_str());
    rmdir(dir.c_str());
}

} // namespace

int compare_main(int argc, const char *const *argv)
{
    CompareArgs c;
    Run runs[2];
    std::string dir;
    int status = parse_compare_args(argc, argv, c);
    if (status == kGoOn)
        status = prepare_runs(c, runs);
    if (status == kGoOn)
        status = make_output_dir(c.keep_dir, dir);
    if (status != kGoOn)
        return status;

    start_runs(self_path(argv[0]), dir, c, runs);
    set_forwarding(true);
    int exit_status = collect_runs(runs);
    set_forwarding(false);

    if (exit_status == 0)
        exit_status = print_comparison(c, runs);
    else if (!c.keep_dir.empty())
        std::fprintf(stderr, "httusim: --compare: outputs kept in %s\n", c.keep_dir.c_str());
    if (c.keep_dir.empty())
        remove_outputs(runs, dir);
    return exit_status;
}

} // namespace httusim
