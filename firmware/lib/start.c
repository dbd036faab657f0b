/* C part of the start-up: build argc/argv from the semihosting command line and run main(). */
#include "fw.h"

#define FW_CMDLINE_MAX 512
#define FW_ARGV_MAX 32

static char cmdline[FW_CMDLINE_MAX];
static char *argv_buf[FW_ARGV_MAX + 1];

/* Split in place at spaces (QEMU joins its arg= options with single spaces, no quoting). */
static int split_args(char *s, char **argv, int max)
{
    int argc = 0;
    while (*s) {
        while (*s == ' ')
            *s++ = '\0';
        if (!*s)
            break;
        if (argc < max)
            argv[argc++] = s;
        while (*s && *s != ' ')
            s++;
    }
    argv[argc] = NULL;
    return argc;
}

void fw_start(void) __attribute__((noreturn));
void fw_start(void)
{
    int argc = 0;
    if (semihost_get_cmdline(cmdline, sizeof cmdline) == 0)
        argc = split_args(cmdline, argv_buf, FW_ARGV_MAX);
    else
        argv_buf[0] = NULL;
    int status = main(argc, argv_buf);
    fw_exit(status);
}
