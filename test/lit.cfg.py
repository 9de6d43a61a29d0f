# lit configuration of the stde regression tests (FileCheck on tool output).
import os
import sys

import lit.formats
from lit.llvm import llvm_config

config.name = "stde"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.stde_obj_root, "test")
# Unit tests are their own suite (test/Unit/lit.cfg.py); inputs are not tests.
config.excludes = ["Unit", "Inputs", "crashes", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]

llvm_config.use_default_substitutions()
config.substitutions.append(("%python", sys.executable))
config.substitutions.append(("%examples", os.path.join(config.stde_src_root, "examples")))
config.substitutions.append(("%stde_src_root", config.stde_src_root))
config.substitutions.append(("%stde_obj_root", config.stde_obj_root))
config.substitutions.append(("%llvm_tools_dir", config.llvm_tools_dir))

llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.add_tool_substitutions(["stde-opt", "stde-translate", "stde-train", "stde-fuzz", "stde-lsp-server"], [config.stde_tools_dir])

if config.stde_sanitize:
    config.available_features.add("sanitizer")
    # Debian's libMLIR is not instrumented. LLVM's allocators, inlined into our
    # instrumented code, poison slabs that libMLIR then hands out without
    # unpoisoning them, so manual poisoning reports false use-after-poison:
    # allow_user_poisoning=0 turns off exactly that. Leaks inside libMLIR's
    # global registries are not ours to report.
    config.environment["ASAN_OPTIONS"] = "allow_user_poisoning=0:detect_leaks=0"

import shutil

# mpi: OpenMPI's launcher, for the data-parallel tests. Two ranks on this
# machine (oversubscribed: CI machines have 2 cores), traffic on loopback;
# CI runs as root, which mpirun refuses unless told.
mpirun = shutil.which("mpirun")
if mpirun:
    config.available_features.add("mpi")
    launch = mpirun + " --oversubscribe --mca btl self,vader -np "
    config.substitutions.append(("%mpirun2", launch + "2"))
    config.substitutions.append(("%mpirun1", launch + "1"))
    for variable in ("OMPI_ALLOW_RUN_AS_ROOT", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"):
        config.environment[variable] = "1"

# ptxas (CUDA toolkit) validates emitted PTX on machines without a GPU.
import shutil
ptxas = shutil.which("ptxas") or next(
    (p for p in [os.path.join(os.environ.get("CUDA_HOME", "/usr/local/cuda"), "bin", "ptxas"),
                 "/usr/local/cuda/bin/ptxas"] if os.path.exists(p)), None)
if ptxas:
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", ptxas))

# cuda: a usable NVIDIA GPU (the driver loads and sees a device). GPU tests
# (test/Integration/GPU) REQUIRE it and are skipped elsewhere.
def _cuda_devices():
    import ctypes
    try:
        lib = ctypes.CDLL(os.environ.get("STDE_LIBCUDA") or "libcuda.so.1")
        count = ctypes.c_int(0)
        if lib.cuInit(0) != 0 or lib.cuDeviceGetCount(ctypes.byref(count)) != 0:
            return 0
        return count.value
    except OSError:
        return 0
if _cuda_devices() > 0:
    config.available_features.add("cuda")
