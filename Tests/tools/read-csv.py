#!/usr/bin/env python3
"""Reads a CSV file with Python's csv module (RFC 4180 dialect: the default "excel")
and prints its rows as a JSON list of lists of strings."""
import csv
import json
import sys

with open(sys.argv[1], newline="", encoding="utf-8") as f:
    print(json.dumps(list(csv.reader(f, strict=True))))
