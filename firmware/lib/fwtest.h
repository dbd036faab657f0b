/* Self-checking test helpers: every check prints one line, t_end() prints the final
 * "PASS <name>" or "FAIL <name> ..." line and returns main's exit status. */
#ifndef HTTUSIM_FWTEST_H
#define HTTUSIM_FWTEST_H

#include "fw.h"

void t_begin(const char *name);
void t_section(const char *title);
/* Returns `ok` so a test can skip dependent checks. */
int t_check(int ok, const char *what);
int t_check_eq(const char *what, uint64_t got, uint64_t expected);
int t_failures(void);
int t_end(void); /* 0 on pass, 1 on failure */

#define CHECK(cond) t_check(!!(cond), #cond)
#define CHECK_MSG(cond, msg) t_check(!!(cond), msg)
#define CHECK_EQ(got, expected) t_check_eq(#got, (uint64_t)(got), (uint64_t)(expected))
#define CHECK_EQ_MSG(msg, got, expected) t_check_eq(msg, (uint64_t)(got), (uint64_t)(expected))

/* Keep the compiler from folding a value known at compile time. */
#define OPAQUE(v) ({ __auto_type o_ = (v); __asm__ __volatile__("" : "+r"(o_)); o_; })

#endif
