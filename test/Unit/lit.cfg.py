# lit configuration of the C++ unit tests: every GoogleTest case is one test.
import os

import lit.formats

config.name = "stde-unit"
config.suffixes = []
config.test_source_root = os.path.join(config.stde_obj_root, "test", "Unit")
config.test_exec_root = config.test_source_root
config.test_format = lit.formats.GoogleTest(".", "Tests")
if config.stde_sanitize:
    config.environment["ASAN_OPTIONS"] = "detect_leaks=0"
