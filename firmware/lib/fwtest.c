#include "fwtest.h"

static const char *test_name = "?";
static int n_checks, n_failed;

void t_begin(const char *name)
{
    test_name = name;
    n_checks = n_failed = 0;
    printf("TEST %s\n", name);
}

void t_section(const char *title)
{
    printf("-- %s\n", title);
}

int t_check(int ok, const char *what)
{
    n_checks++;
    if (ok) {
        printf("  ok   %s\n", what);
    } else {
        n_failed++;
        printf("  FAIL %s\n", what);
    }
    return ok;
}

int t_check_eq(const char *what, uint64_t got, uint64_t expected)
{
    n_checks++;
    if (got == expected) {
        printf("  ok   %s == 0x%llx\n", what, (unsigned long long)got);
        return 1;
    }
    n_failed++;
    printf("  FAIL %s: got 0x%llx, expected 0x%llx\n", what, (unsigned long long)got,
           (unsigned long long)expected);
    return 0;
}

int t_failures(void)
{
    return n_failed;
}

int t_end(void)
{
    if (n_failed == 0) {
        printf("PASS %s (%d checks)\n", test_name, n_checks);
        return 0;
    }
    printf("FAIL %s (%d of %d checks failed)\n", test_name, n_failed, n_checks);
    return 1;
}
