#!/usr/bin/env python3
"""Every key and enum value of the scenario schema is in the fuzz dictionary (so that the
fuzzer reaches the loaders' newer branches): tests/fuzz/dict_check.py SCHEMA DICT."""
import json
import sys


def names(node, out):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                out.update(value.keys())
            if key == "enum" and isinstance(value, list):
                out.update(v for v in value if isinstance(v, str))
            names(value, out)
    elif isinstance(node, list):
        for value in node:
            names(value, out)


schema_path, dict_path = sys.argv[1], sys.argv[2]
wanted = set()
names(json.load(open(schema_path, encoding="utf-8")), wanted)
have = set()
for line in open(dict_path, encoding="utf-8"):
    line = line.strip()
    if line.startswith('"') and line.endswith('"'):
        have.add(line[1:-1])
missing = sorted(n for n in wanted if f'\\"{n}\\"' not in have and n not in have)
if missing:
    print(f"{dict_path}: missing {len(missing)} names of {schema_path}: " + ", ".join(missing))
    print("add them as lines such as \"\\\"name\\\"\" (see the file's head)")
    sys.exit(1)
print(f"{dict_path}: all {len(wanted)} names of the schema are in it")
