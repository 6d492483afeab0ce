#!/usr/bin/env python3
"""Prints the SwiftPM targets of Package.swift (not the test targets) with
their dependencies: `--list` as a Markdown list (the default), `--mermaid`
as a mermaid graph. Reads the manifest as text: each `.target(`,
`.executableTarget(` or `.systemLibrary(` entry, its quoted local targets
and its `.product(name:)` packages."""
import re
import sys

def targets(text):
    out = []
    for m in re.finditer(r'\.(target|executableTarget|systemLibrary)\(\s*name:\s*"([^"]+)"', text):
        kind, name = m.group(1), m.group(2)
        # the entry runs until the next entry or the end of the targets list
        nxt = re.search(r'\n\s*\.(target|executableTarget|systemLibrary|testTarget)\(', text[m.end():])
        body = text[m.end(): m.end() + nxt.start()] if nxt else text[m.end():]
        deps = []
        dm = re.search(r'dependencies:\s*\[(.*?)\]\s*(,\s*path:|,\s*resources:|,\s*exclude:|,\s*swiftSettings:|,\s*linkerSettings:|\))', body, re.S)
        products = []
        if dm:
            block = dm.group(1)
            products = sorted(set(re.findall(r'\.product\(name:\s*"([^"]+)"', block)))
            block = re.sub(r'\.product\([^)]*\)', '', block)
            deps = re.findall(r'"([^"]+)"', block)
        out.append((kind, name, deps, products))
    return out

def main():
    text = open(sys.argv[2] if len(sys.argv) > 2 else "Package.swift").read()
    mode = sys.argv[1] if len(sys.argv) > 1 else "--list"
    ts = targets(text)
    if mode == "--mermaid":
        print("graph TD")
        for _, name, deps, _ in ts:
            if not deps:
                print(f"    {name}")
            for d in deps:
                print(f"    {name} --> {d}")
    else:
        kinds = {"target": "library", "executableTarget": "executable", "systemLibrary": "system library"}
        for kind, name, deps, products in ts:
            local = ", ".join(f"`{d}`" for d in deps) or "(none)"
            pk = f"; packages: {', '.join(products)}" if products else ""
            print(f"- `{name}` ({kinds[kind]}): {local}{pk}")

main()
