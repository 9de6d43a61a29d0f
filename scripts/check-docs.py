#!/usr/bin/env python3
"""Generates the reference of every stde dialect (ops, attributes, types) and
every pass from their ODS, and checks that each of them has a description.

  check-docs.py --tools /usr/lib/llvm-22/bin --source <repo> --out <dir>

Writes <dir>/Dialects/<Dialect>.md (mlir-tblgen -gen-dialect-doc) and
<dir>/Passes/<Level>.md (-gen-pass-doc). The descriptions are read from the
records themselves (llvm-tblgen --dump-json), not from the generated text.
Exits 1 naming every op, attribute, type or pass without a summary and a
description. `cmake --build build --target stde-doc` runs it into build/docs;
test/Tools/docs.test runs it in the test suite.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

# (td file, dialect name in ODS, dialect def, page)
DIALECTS = [
    ("dialects/stde/StdeOps.td", "stde", "Stde_Dialect", "Stde"),
    ("dialects/jet/JetOps.td", "jet", "Jet_Dialect", "Jet"),
    ("dialects/rng/RngOps.td", "rng", "Rng_Dialect", "Rng"),
    ("dialects/zo/ZoOps.td", "zo", "Zo_Dialect", "Zo"),
]
# (td file, page)
PASSES = [
    ("include/stde/Transforms/Passes.td", "Transforms"),
    ("include/stde/Conversion/Passes.td", "Conversion"),
]


def includes(args):
    return ["-I", args.mlir_include, "-I", args.source, "-I", os.path.join(args.source, "include")]


def run(cmd):
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit("check-docs: " + " ".join(cmd) + " failed:\n" + result.stderr)


def records(args, td):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "records.json")
        run([os.path.join(args.tools, "llvm-tblgen"), "--dump-json", *includes(args),
             os.path.join(args.source, td), "-o", out])
        with open(out) as f:
            return json.load(f)


def text(record, field):
    value = record.get(field)
    return value.strip() if isinstance(value, str) else ""


def undocumented(record):
    """What a record lacks: 'summary', 'description' or both."""
    return [f for f in ("summary", "description") if not text(record, f)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tools", required=True, help="folder of mlir-tblgen and llvm-tblgen")
    parser.add_argument("--source", required=True, help="the repository root")
    parser.add_argument("--out", required=True, help="folder for the generated pages")
    parser.add_argument("--mlir-include", default="/usr/lib/llvm-22/include")
    args = parser.parse_args()

    missing, counts = [], {"dialects": 0, "ops": 0, "attributes and types": 0, "passes": 0}
    os.makedirs(os.path.join(args.out, "Dialects"), exist_ok=True)
    os.makedirs(os.path.join(args.out, "Passes"), exist_ok=True)
    for td, name, dialect_def, page in DIALECTS:
        run([os.path.join(args.tools, "mlir-tblgen"), "-gen-dialect-doc", "-dialect=" + name,
             *includes(args), os.path.join(args.source, td),
             "-o", os.path.join(args.out, "Dialects", page + ".md")])
        j = records(args, td)
        counts["dialects"] += 1
        dialect = j[dialect_def]
        if not text(dialect, "summary") and not text(dialect, "description"):
            missing.append(f"dialect '{name}' ({td}): summary or description")
        for cls, kind, key in (("Op", "op", "opDialect"), ("AttrDef", "attribute", "dialect"),
                               ("TypeDef", "type", "dialect")):
            for rec_name in j["!instanceof"].get(cls, []):
                rec = j[rec_name]
                if (rec.get(key) or {}).get("def") != dialect_def:
                    continue
                counts["ops" if cls == "Op" else "attributes and types"] += 1
                lacks = undocumented(rec)
                if lacks:
                    label = rec.get("opName") or rec.get("mnemonic") or rec_name
                    missing.append(f"{kind} '{name}.{label}' ({td}, {rec_name}): " + " and ".join(lacks))
    for td, page in PASSES:
        run([os.path.join(args.tools, "mlir-tblgen"), "-gen-pass-doc", *includes(args),
             os.path.join(args.source, td), "-o", os.path.join(args.out, "Passes", page + ".md")])
        j = records(args, td)
        for rec_name in j["!instanceof"].get("PassBase", []):
            rec = j[rec_name]
            counts["passes"] += 1
            lacks = undocumented(rec)
            if lacks:
                missing.append(f"pass '{rec.get('argument', rec_name)}' ({td}): " + " and ".join(lacks))

    summary = ", ".join(f"{n} {what}" for what, n in counts.items())
    if missing:
        print("check-docs: add a summary and a description (`let summary`, `let description`) to:")
        for m in missing:
            print("  " + m)
        print(f"check-docs: {len(missing)} undocumented of {summary}")
        return 1
    print(f"check-docs: {summary}, every one with a summary and a description; pages in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
