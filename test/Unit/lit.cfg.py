# lit configuration of the C++ unit tests: every GoogleTest case is one test.
import os

import lit.formats

config.name = "stde-unit"
config.suffixes = []
config.test_source_root = os.path.join(config.stde_obj_root, "test", "Unit")
config.test_exec_root = config.test_source_root
config.test_format = lit.formats.GoogleTest(".", "Tests")
if config.stde_sanitize:
    # Debian's libMLIR is not instrumented. LLVM's allocators, inlined into our
    # instrumented code, poison slabs that libMLIR then hands out without
    # unpoisoning them, so manual poisoning reports false use-after-poison:
    # allow_user_poisoning=0 turns off exactly that. Leaks inside libMLIR's
    # global registries are not ours to report.
    config.environment["ASAN_OPTIONS"] = "allow_user_poisoning=0:detect_leaks=0"
