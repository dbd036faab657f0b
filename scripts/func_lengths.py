#!/usr/bin/env python3
"""List the functions of the C/C++ sources with their lengths, longest first.

A dependency-free brace matcher: comments, string and character literals and preprocessor lines are
blanked out, then every brace block whose header (the text since the previous ';', '{' or '}') has a
parameter list and no '=' is a function definition. Blocks opened by namespace, extern "C", class,
struct and union are containers: the methods defined inside them are counted too. The length of a
function runs from the line of its name to the line of its closing brace, both included.

    scripts/func_lengths.py [--over N] [--top N] [--reason-tag TEXT] [DIR|FILE ...]

Without paths it reads core/ models/ sim/ firmware/. --over N lists only the functions longer than
N lines; --longest-per-dir prints the longest function of each directory. A function whose
definition is preceded by a comment containing "long:" (the written reason to stay long) is marked
"(reason given)". The exit status is 0 in every case: this is a report, not a gate.
"""
import argparse
import os
import re
import sys

SOURCE_SUFFIXES = (".c", ".cc", ".cpp", ".h", ".hh", ".hpp")
DEFAULT_DIRS = ("core", "models", "sim", "firmware")
CONTAINER_RE = re.compile(r'\b(namespace|class|struct|union)\b|\bextern\s+"C"')
NAME_RE = re.compile(r"(~?[A-Za-z_][A-Za-z_0-9]*(?:\s*::\s*~?[A-Za-z_][A-Za-z_0-9]*)*"
                     r"|operator\s*(?:\(\)|[^\s(]+))\s*$")
REASON_TAG = "long:"
KEYWORDS_NOT_FUNCTIONS = {"if", "for", "while", "switch", "do", "else", "return", "sizeof"}


def blank_out(text):
    """Return text with comments, literals and preprocessor lines replaced by spaces (newlines
    kept, so offsets and line numbers stay valid)."""
    out = list(text)
    i, n = 0, len(text)
    at_line_start = True
    while i < n:
        c = text[i]
        if c == "\n":
            at_line_start = True
            i += 1
            continue
        if at_line_start and c == "#":
            j = i
            while j < n and text[j] != "\n":
                if text[j] == "\\" and j + 1 < n and text[j + 1] == "\n":
                    j += 2
                    continue
                if text.startswith("/*", j):
                    end = text.find("*/", j + 2)
                    j = n if end < 0 else end + 2
                    continue
                j += 1
            for k in range(i, j):
                if out[k] != "\n":
                    out[k] = " "
            i = j
            continue
        if not c.isspace():
            at_line_start = False
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j += 1
            if c == '"' and i > 0 and text[i - 1] == "R":  # raw string R"delim(...)delim"
                m = re.match(r'R"([^(\s]*)\(', text[i - 1:])
                if m:
                    end = text.find(")" + m.group(1) + '"', i)
                    j = n if end < 0 else end + len(m.group(1)) + 2
        else:
            i += 1
            continue
        for k in range(i, min(j, n)):
            if out[k] != "\n":
                out[k] = " "
        i = j
    return "".join(out)


def drop_attributes(header):
    """header without its GNU __attribute__((...)) groups."""
    while True:
        at = header.find("__attribute__")
        if at < 0:
            return header
        j, depth = at + len("__attribute__"), 0
        while j < len(header):
            depth += {"(": 1, ")": -1}.get(header[j], 0)
            j += 1
            if depth == 0 and header[j - 1] == ")":
                break
        header = header[:at] + " " * (j - at) + header[j:]


def function_name(header):
    """The name of the function whose header (text before its '{') is given, or None."""
    header = drop_attributes(header).replace("operator()", "operator_call")
    depth = 0
    # The parameter list is the first parenthesis group at depth 0 that is followed only by
    # qualifiers, an initializer list or a trailing return type: take the first '(' at depth 0.
    for idx, ch in enumerate(header):
        if ch == "(":
            if depth == 0:
                m = NAME_RE.search(header[:idx])
                if m and m.group(1).split("::")[-1].strip() not in KEYWORDS_NOT_FUNCTIONS:
                    return re.sub(r"\s+", "", m.group(1)).replace("operator_call", "operator()")
                return None
            depth += 1
        elif ch == ")":
            depth -= 1
    return None


def has_reason(text, start):
    """True when the comment lines just above offset start hold the written reason tag."""
    lines = text[:start].splitlines()
    for line in reversed(lines[-12:]):
        stripped = line.strip()
        if not stripped:
            break
        if REASON_TAG in stripped:
            return True
        if not (stripped.startswith("//") or stripped.startswith("/*") or stripped.startswith("*")
                or stripped.endswith("*/")):
            continue  # a signature line of a multi-line header
    return False


def functions_of(path):
    """Yield (name, first_line, length, reason_given) for each function defined in path."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    code = blank_out(text)
    stack = []  # entries: "container", "function" or "other"
    header_start = 0
    func_start = None
    for i, ch in enumerate(code):
        if ch == "{":
            kind = "other"
            if all(k == "container" for k in stack):
                header = code[header_start:i]
                if CONTAINER_RE.search(header) and "(" not in header:
                    kind = "container"
                elif "(" in header and "=" not in re.sub(r"operator\s*\S+", "", header).split("(")[0]:
                    name = function_name(header)
                    if name:
                        kind = "function"
                        offset = header_start + len(header) - len(header.lstrip())
                        func_start = (name, offset)
            stack.append(kind)
            header_start = i + 1
        elif ch == "}":
            kind = stack.pop() if stack else "other"
            if kind == "function" and func_start:
                name, offset = func_start
                first = code.count("\n", 0, offset) + 1
                last = code.count("\n", 0, i) + 1
                yield name, first, last - first + 1, has_reason(text, offset)
                func_start = None
            header_start = i + 1
        elif ch == ";" and all(k == "container" for k in stack):
            header_start = i + 1


def source_files(paths):
    for p in paths:
        if os.path.isfile(p):
            yield p
            continue
        for root, dirs, files in os.walk(p):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "build")
            for name in sorted(files):
                if name.endswith(SOURCE_SUFFIXES):
                    yield os.path.join(root, name)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", help="directories or files (default: %s)" %
                    " ".join(DEFAULT_DIRS))
    ap.add_argument("--over", type=int, default=0, help="list only functions longer than N lines")
    ap.add_argument("--top", type=int, default=0, help="list at most N functions")
    ap.add_argument("--longest-per-dir", action="store_true",
                    help="print only the longest function of each directory")
    args = ap.parse_args()
    paths = args.paths or [d for d in DEFAULT_DIRS if os.path.isdir(d)]
    rows = []
    for path in source_files(paths):
        for name, line, length, reason in functions_of(path):
            rows.append((length, path, line, name, reason))
    rows.sort(key=lambda r: (-r[0], r[1], r[2]))
    if args.longest_per_dir:
        seen = set()
        for length, path, line, name, reason in rows:
            d = os.path.dirname(path)
            if d not in seen:
                seen.add(d)
                print("%-24s %5d  %s:%d %s%s" % (d, length, path, line, name,
                                                 "  (reason given)" if reason else ""))
        return 0
    rows = [r for r in rows if r[0] > args.over]
    if args.top:
        rows = rows[:args.top]
    for length, path, line, name, reason in rows:
        print("%5d  %s:%d  %s%s" % (length, path, line, name, "  (reason given)" if reason else ""))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:   # piped into head
        sys.exit(0)
