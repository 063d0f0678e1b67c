#!/usr/bin/env python3
"""Write docs/algorithms.md: the help page of every toolbox algorithm
(algorithms/help/NAME.html), one section per algorithm with the heading
``## NAME``, so that the help button of each algorithm (helpUrl:
docs/algorithms.md#NAME in the repository) lands on its own section.

Usage:  python3 scripts/docs.py          (write)
        python3 scripts/docs.py --check  (exit 1 when the file is out of date)
"""
import glob
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HELP = os.path.join(ROOT, "algorithms", "help")
OUT = os.path.join(ROOT, "docs", "algorithms.md")


def render():
    names = sorted(os.path.splitext(os.path.basename(p))[0]
                   for p in glob.glob(os.path.join(HELP, "*.html")))
    parts = ["# CarbonSink algorithms", "",
             "The help of every toolbox algorithm (provider `carbonsink`), as the "
             "Processing dialog shows it; each also runs as `python -m carbonsink NAME` "
             "with the same parameters. Made by `scripts/docs.py` from "
             "`algorithms/help/*.html`; do not edit by hand.", "",
             " · ".join(f"[{n}](#{n})" for n in names), ""]
    for n in names:
        with open(os.path.join(HELP, f"{n}.html"), encoding="utf-8") as f:
            body = f.read().strip()
        parts += [f"## {n}", "", f"`carbonsink:{n}` · `python -m carbonsink {n} --help`", "",
                  body, ""]
    return "\n".join(parts)


def main():
    text = render()
    if "--check" in sys.argv:
        with open(OUT, encoding="utf-8") as f:
            same = f.read() == text
        print("docs/algorithms.md is " + ("up to date" if same else
                                          "out of date: run scripts/docs.py"))
        return 0 if same else 1
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"{OUT}: {text.count(chr(10) + '## ')} algorithms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
