// Runs a program with arguments (no shell) and collects its exit status, stdout and stderr.
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

extern char **environ;

struct CommandResult {
    int status = -1;   // exit status, or -1 when the program did not exit normally
    std::string out, err;
};

inline std::string slurp(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Starts a program with arguments (no shell), stdout and stderr to the files named; returns its
// pid, or -1 when it could not be started.
inline pid_t spawn_command(const std::vector<std::string> &argv, const std::string &out_path,
                           const std::string &err_path)
{
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::vector<char *> args;
    for (const std::string &a : argv)
        args.push_back(const_cast<char *>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid;
    int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    return rc == 0 ? pid : -1;
}

// Runs to the end. Standard output goes to `stdout_path` when given (e.g. /dev/full; r.out is
// then empty), else it is collected in r.out.
inline CommandResult run_command(const std::vector<std::string> &argv,
                                 const std::string &scratch_prefix,
                                 const std::string &stdout_path = "")
{
    const std::string out_path = stdout_path.empty() ? scratch_prefix + ".stdout" : stdout_path;
    const std::string err_path = scratch_prefix + ".stderr";
    CommandResult r;
    pid_t pid = spawn_command(argv, out_path, err_path);
    if (pid > 0) {
        int ws = 0;
        waitpid(pid, &ws, 0);
        r.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
    }
    if (stdout_path.empty())
        r.out = slurp(out_path);
    r.err = slurp(err_path);
    return r;
}
