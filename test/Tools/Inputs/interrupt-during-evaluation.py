#!/usr/bin/env python3
"""Runs stde-train with a test-error evaluation that takes minutes, sends
SIGINT once the evaluation has begun, and prints how the run ended.

usage: interrupt-during-evaluation.py STDE_TRAIN ARGS...
Prints `exit <code>` and `seconds-after-signal <s>`, then stde-train's stderr.
"""
import signal
import subprocess
import sys
import time

proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
# stde-train ends its "compiling ..." line when the compile is done; with
# --steps 1 the evaluation starts right after the first step.
compiled = proc.stderr.readline()
time.sleep(1.0)
sent = time.monotonic()
proc.send_signal(signal.SIGINT)
_, rest = proc.communicate(timeout=120)
print(f"exit {proc.returncode}")
print(f"seconds-after-signal {time.monotonic() - sent:.1f}")
sys.stdout.write(compiled + rest)
