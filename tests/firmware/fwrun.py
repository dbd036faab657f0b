#!/usr/bin/env python3
"""Runs the firmware test programs for ctest (tests/firmware/CMakeLists.txt).

  fwrun.py run      --httusim BIN --elf ELF [--name NAME] [--expect-exit N] [--expect-text T]
                    [--sim-arg ARG]... [-- FIRMWARE ARGS]
      run ELF on httusim; require the exit status (default 0), a "PASS NAME" line when --name is
      given, and every --expect-text somewhere in the output.

  fwrun.py diff     --httusim BIN --qemu QEMU --elf ELF [--qemu-cpu CPU] [--sim-arg=ARG]...
                    [-- FIRMWARE ARGS]
      run ELF on QEMU virt (-cpu CPU, default max) and on httusim; require the same console
      output (UART and semihosting, stdout and stderr merged in order) and the same exit status.
      Give httusim options as --sim-arg=--hafdbs=0 (with "=": they start with "--").

  fwrun.py lockstep --httusim BIN --qemu QEMU --elf ELF [--keep]
      run ELF on QEMU (-singlestep -d exec,cpu,nochain) and on httusim (--reg-trace) and compare
      PC, X0-X30, SP and NZCV before every instruction.

Every run has a timeout. When QEMU is missing, diff and lockstep exit with 77 (ctest SKIP).
"""

import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

SKIP = 77

# httusim's defaults that differ from QEMU virt without EL2 (what `-M virt -cpu max` gives):
# QEMU answers HVC #0 with PSCI and SMCCC only, so the differential runs use --hypervisor=psci.
DIFF_SIM_ARGS = ["--hypervisor=psci"]


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def check_file(path, what, hint):
    if not os.path.isfile(path):
        fail("%s not found: %s (%s)" % (what, path, hint))


def find_qemu(qemu):
    path = shutil.which(qemu) if os.sep not in qemu else (qemu if os.access(qemu, os.X_OK) else None)
    if not path:
        print("SKIP: %s not found; install qemu-system-arm (Debian) to run the QEMU comparisons" % qemu)
        sys.exit(SKIP)
    return path


def qemu_command(qemu, elf, fw_args, extra=(), cpu="max"):
    # The semihosting command line is "ELF args...", as httusim builds it. QEMU splits
    # -semihosting-config at commas, so commas in an argument are doubled.
    sh = ["enable=on", "target=native"]
    for a in [elf] + list(fw_args):
        sh.append("arg=" + a.replace(",", ",,"))
    return [qemu, "-M", "virt", "-cpu", cpu, "-nographic", "-semihosting-config", ",".join(sh),
            "-kernel", elf] + list(extra)


def httusim_command(httusim, elf, fw_args, sim_args=()):
    cmd = [httusim] + list(sim_args) + [elf]
    if fw_args:
        cmd += ["--"] + list(fw_args)
    return cmd


def execute(cmd, timeout, merge=True):
    """Runs cmd with stdin from /dev/null; returns (status, output text). Kills it on timeout."""
    env = dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1")
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT if merge else subprocess.PIPE,
                           timeout=timeout, env=env)
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode("utf-8", "replace")
        print(out)
        fail("timeout after %d s: %s" % (timeout, " ".join(cmd)))
    except OSError as e:
        fail("cannot run %s: %s" % (cmd[0], e))
    return p.returncode, p.stdout.decode("utf-8", "replace")


def show(title, text, limit=200):
    lines = text.splitlines()
    print("---- %s (%d lines)%s" % (title, len(lines), ", last %d" % limit if len(lines) > limit else ""))
    for line in lines[-limit:]:
        print(line)
    print("----")


# ------------------------------------------------------------------------------------------ run
def cmd_run(a):
    check_file(a.httusim, "httusim", "build the `httusim` target")
    check_file(a.elf, "firmware ELF", "build the `httusim_firmware` target")
    cmd = httusim_command(a.httusim, a.elf, a.fw_args, a.sim_arg)
    print("$ " + " ".join(cmd))
    status, out = execute(cmd, a.timeout)
    show("httusim output", out)
    problems = []
    if status != a.expect_exit:
        problems.append("exit status %d, expected %d" % (status, a.expect_exit))
    if a.name and not re.search(r"^PASS %s\b" % re.escape(a.name), out, re.M):
        problems.append("no 'PASS %s' line" % a.name)
    for t in a.expect_text:
        if t not in out:
            problems.append("output lacks %r" % t)
    if problems:
        fail("; ".join(problems))
    print("OK")


# ----------------------------------------------------------------------------------------- diff
def cmd_diff(a):
    qemu = find_qemu(a.qemu)
    check_file(a.httusim, "httusim", "build the `httusim` target")
    check_file(a.elf, "firmware ELF", "build the `httusim_firmware` target")
    qcmd = qemu_command(qemu, a.elf, a.fw_args, cpu=a.qemu_cpu)
    hcmd = httusim_command(a.httusim, a.elf, a.fw_args, DIFF_SIM_ARGS + a.sim_arg)
    print("$ " + " ".join(qcmd))
    qstatus, qout = execute(qcmd, a.timeout)
    print("$ " + " ".join(hcmd))
    hstatus, hout = execute(hcmd, a.timeout)
    problems = []
    if qout != hout:
        diff = list(difflib.unified_diff(qout.splitlines(), hout.splitlines(), "qemu", "httusim",
                                         lineterm="", n=3))
        print("output differs (- qemu, + httusim):")
        for line in diff[:120]:
            print(line)
        if len(diff) > 120:
            print("... %d more diff lines" % (len(diff) - 120))
        problems.append("output differs")
    if qstatus != hstatus:
        problems.append("exit status: qemu %d, httusim %d" % (qstatus, hstatus))
    if problems:
        show("qemu output", qout, 40)
        show("httusim output", hout, 40)
        fail("; ".join(problems))
    show("output (identical)", qout, 40)
    print("OK: identical output (%d lines) and exit status %d" % (len(qout.splitlines()), qstatus))


# ------------------------------------------------------------------------------------- lockstep
REG_NAMES = ["PC"] + ["X%02d" % i for i in range(31)] + ["SP"]
NZCV = len(REG_NAMES)  # index of PSTATE in a record; only its first hex digit (NZCV) is compared
# One record: the 33 registers in this order, separated by white space (QEMU wraps them over
# several lines and puts two spaces before SP), then PSTATE. Values stay hex strings (bytes);
# both sides print 16 lowercase hex digits, so comparing the strings compares the values.
RECORD_RE = re.compile(rb"".join(rb"%s=([0-9a-f]{16})\s+" % n.encode() for n in REG_NAMES) +
                       rb"PSTATE=([0-9a-f]{8})")


def parse_records(path, boundary):
    """Yields one tuple of 34 hex strings per instruction. The file is read in large chunks, each
    cut after the last `boundary` (b"\nTrace " for QEMU's log, b"\n" for httusim's trace) so that
    no record is split; the regex then finds all records of a chunk at C speed.

    QEMU `-singlestep -d exec,cpu,nochain` logs, before each instruction (one instruction per
    translation block), a "Trace ..." line and then the registers:
        " PC=... X00=... X01=...", "X02=... X03=... X04=...", ..., "X29=... X30=...  SP=...",
        "PSTATE=400003c5 -Z-- EL1h  SVCR=... BTYPE=0"
    httusim --reg-trace writes one line: "PC=... X00=... ... X30=... SP=... PSTATE=..."."""
    rest = b""
    with open(path, "rb") as f:
        while True:
            block = f.read(1 << 24)
            if not block:
                break
            data = rest + block
            cut = data.rfind(boundary)
            if cut <= 0:
                rest = data
                continue
            rest = data[cut:]
            yield from RECORD_RE.findall(data[:cut])
    if rest:
        yield from RECORD_RE.findall(rest)


def load_listing(elf):
    """(address -> disassembly, symbol -> address) from the objdump listing next to the ELF
    (NAME.lst, written by the firmware build), or from objdump if there is none."""
    lst = os.path.splitext(elf)[0] + ".lst"
    table, symbols = {}, {}
    text = None
    if os.path.isfile(lst):
        with open(lst, errors="replace") as f:
            text = f.read()
    else:
        objdump = shutil.which("aarch64-linux-gnu-objdump")
        if objdump:
            text = subprocess.run([objdump, "-d", elf], stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL).stdout.decode("utf-8", "replace")
    if text:
        insn_re = re.compile(r"^\s*([0-9a-f]+):\s+[0-9a-f]{8}\s+(.*)$")
        sym_re = re.compile(r"^([0-9a-f]+) <([^>]+)>:$")
        for line in text.splitlines():
            m = insn_re.match(line)
            if m:
                table[int(m.group(1), 16)] = m.group(2).strip()
                continue
            m = sym_re.match(line)
            if m:
                symbols[m.group(2)] = int(m.group(1), 16)
    return table, symbols


def cmd_lockstep(a):
    qemu = find_qemu(a.qemu)
    check_file(a.httusim, "httusim", "build the `httusim` target")
    check_file(a.elf, "firmware ELF", "build the `httusim_firmware` target")
    work = tempfile.mkdtemp(prefix="lockstep-", dir=a.workdir or None)
    qlog = os.path.join(work, "qemu.log")
    hlog = os.path.join(work, "httusim.trace")
    ok = False
    try:
        qcmd = qemu_command(qemu, a.elf, [], ["-singlestep", "-d", "exec,cpu,nochain", "-D", qlog])
        hcmd = httusim_command(a.httusim, a.elf, [], DIFF_SIM_ARGS + ["--reg-trace=" + hlog])
        print("$ " + " ".join(qcmd))
        qstatus, qout = execute(qcmd, a.timeout)
        print("$ " + " ".join(hcmd))
        hstatus, hout = execute(hcmd, a.timeout)
        if qstatus != 0:
            show("qemu output", qout, 40)
            fail("QEMU exit status %d" % qstatus)
        if hstatus != 0:
            show("httusim output", hout, 40)
            fail("httusim exit status %d" % hstatus)
        ok = compare_traces(qlog, hlog, a.elf)
    finally:
        if ok and not a.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print("traces kept in " + work)
    if not ok:
        sys.exit(1)


def compare_traces(qlog, hlog, elf):
    """Compares the two register streams; prints the first difference. Returns True if equal.

    Normalisations (everything else is compared exactly):
    * General-purpose registers, SP and NZCV are UNKNOWN at reset in the architecture, and the
      two platforms start with different values (QEMU 7.2: all zero, NZCV = Z, for an ELF kernel;
      httusim: its own choice). So a register is compared only from the first instruction at
      which it differs from its entry value in either trace, i.e. once the program wrote it.
      crt0's first instruction writes NZCV and its sixth sets SP: this hides only the entry state.
    * Of PSTATE only NZCV is compared: QEMU prints PSTATE with bits httusim does not implement
      (BTYPE, SSBS, ... of later architecture versions); EL, SPSel and DAIF show in the PCs taken.
    * QEMU 7.2 clears NZCV when it takes an exception (arm_cpu_do_interrupt_aarch64 writes PSTATE
      as DAIF | mode), while AArch64.TakeException leaves PSTATE.NZCV alone. So at each entry
      into the vector table (__vectors .. +0x800) NZCV goes back to "not yet written" until an
      instruction changes it on either side (the runtime's stub compares soon after).
    * An instruction whose fetch faults (instruction abort, PC alignment fault) appears in
      httusim's trace (the registers before the attempt) but not in QEMU's log, which only logs
      translated blocks: such a line, followed by a vector entry, is skipped.
    """
    listing, symbols = load_listing(elf)
    vbar = symbols.get("__vectors")
    qit = parse_records(qlog, b"\nTrace ")
    hit = parse_records(hlog, b"\n")
    pending = set(range(1, NZCV + 1))  # registers not yet written by the program
    init_q = init_h = None
    history = []
    index = 0
    skipped_fetch_faults = 0
    q = h = None
    while True:
        q, h = next(qit, None), next(hit, None)
        if q is None or h is None:
            break
        if q[0] != h[0] and vbar is not None and 0 <= int(q[0], 16) - vbar < 0x800:
            # httusim writes a line for an instruction whose fetch faults (its PC is known),
            # QEMU logs nothing for it (no translation block): skip httusim's line.
            h2 = next(hit, None)
            if h2 is not None and h2[0] == q[0]:
                h = h2
                skipped_fetch_faults += 1
        if init_q is None:
            init_q, init_h = q, h
        if vbar is not None and q[0] == h[0] and 0 <= int(q[0], 16) - vbar < 0x800 and \
                (not history or not 0 <= int(history[-1], 16) - vbar < 0x800):
            pending.add(NZCV)  # vector entry: see the docstring
            init_q, init_h = init_q[:NZCV] + (q[NZCV],), init_h[:NZCV] + (h[NZCV],)
        if pending:
            for i in list(pending):
                if (q[i] != init_q[i] or h[i] != init_h[i]) if i != NZCV else \
                        (q[i][:1] != init_q[i][:1] or h[i][:1] != init_h[i][:1]):
                    pending.discard(i)
        if q[:NZCV] != h[:NZCV] or q[NZCV][:1] != h[NZCV][:1]:
            bad = [i for i in range(NZCV) if q[i] != h[i] and (i == 0 or i not in pending)]
            if q[NZCV][:1] != h[NZCV][:1] and NZCV not in pending:
                bad.append(NZCV)
            if bad:
                report(index, q, h, bad, history, listing)
                return False
        history.append(q[0])
        if len(history) > 8:
            history.pop(0)
        index += 1
    if (q is None) != (h is None):
        longer, extra = ("QEMU", q) if q is not None else ("httusim", h)
        pc = int(extra[0], 16)
        print("lock-step: the traces agree for %d instructions, then only %s continues, at "
              "PC=%016x  %s" % (index, longer, pc, listing.get(pc, "")))
        for r in history[-4:]:
            print("  %016x  %s" % (int(r, 16), listing.get(int(r, 16), "")))
        return False
    if index == 0:
        print("lock-step: no instructions parsed (empty trace?)")
        return False
    print("OK: %d instructions in lock-step (PC, X0-X30, SP, NZCV)%s" % (
        index, ", %d fetch faults" % skipped_fetch_faults if skipped_fetch_faults else ""))
    return True


def report(index, q, h, bad, history, listing):
    print("lock-step difference at instruction %d (0 = the entry point), PC=%s (qemu) / %s (httusim)"
          % (index, q[0].decode(), h[0].decode()))
    print("registers before this instruction, i.e. after the previous one:")
    for i in bad:
        if i == NZCV:
            print("  NZCV qemu=%s    httusim=%s    (PSTATE %s / %s)" % (
                bin(int(q[i][:1], 16))[2:].zfill(4), bin(int(h[i][:1], 16))[2:].zfill(4),
                q[i].decode(), h[i].decode()))
        else:
            print("  %-4s qemu=%s httusim=%s" % (REG_NAMES[i], q[i].decode(), h[i].decode()))
    print("previous instructions (the last one is the likely culprit):")
    for pc in history:
        print("  %016x  %s" % (int(pc, 16), listing.get(int(pc, 16), "")))
    pc = int(q[0], 16)
    print("  %016x  %s   <- here" % (pc, listing.get(pc, "")))


# ----------------------------------------------------------------------------------------- main
def main():
    argv = sys.argv[1:]
    fw_args = []
    if "--" in argv:
        i = argv.index("--")
        argv, fw_args = argv[:i], argv[i + 1:]
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    for name in ("run", "diff", "lockstep"):
        s = sub.add_parser(name)
        s.add_argument("--httusim", required=True)
        s.add_argument("--elf", required=True)
        s.add_argument("--timeout", type=int, default=60)
        s.add_argument("--sim-arg", action="append", default=[])
        if name != "run":
            s.add_argument("--qemu", default="qemu-system-aarch64")
        if name == "diff":
            s.add_argument("--qemu-cpu", default="max",
                           help="QEMU -cpu model (max; cortex-a57: no HAFDBS, no LSE)")
        if name == "run":
            s.add_argument("--name")
            s.add_argument("--expect-exit", type=int, default=0)
            s.add_argument("--expect-text", action="append", default=[])
        if name == "lockstep":
            s.add_argument("--workdir")
            s.add_argument("--keep", action="store_true", help="keep the traces")
    a = p.parse_args(argv)
    a.fw_args = fw_args
    {"run": cmd_run, "diff": cmd_diff, "lockstep": cmd_lockstep}[a.cmd](a)


if __name__ == "__main__":
    main()
