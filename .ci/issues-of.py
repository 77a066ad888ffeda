#!/usr/bin/env python3
"""Prints, sorted, every issue a Swift Testing event stream (JSON Lines, version 0) recorded, and
every test that ended: two runs' outputs are equal exactly when the same checks ended with the same
messages. Usage: issues-of.py EVENTS.jsonl"""
import json
import sys

lines = []
with open(sys.argv[1], encoding="utf-8") as stream:
    for text in stream:
        try:
            record = json.loads(text)
        except ValueError:
            continue
        if record.get("kind") != "event":
            continue
        event = record["payload"]
        if event.get("kind") == "issueRecorded":
            messages = " | ".join(message.get("text", "") for message in event.get("messages", []))
            lines.append(f"issue {event.get('testID')}: {messages}")
        elif event.get("kind") == "testEnded":
            lines.append(f"ended {event.get('testID')}")
print("\n".join(sorted(lines)))
