"""What the PyTorch reference really runs on: version, threads, and the BLAS it loaded.

A ratio to PyTorch is only as good as PyTorch's own speed, and that speed depends on things
outside torch: the libblas.so.3 the system's alternatives point to (OpenBLAS with OpenMP, a
pthread or serial OpenBLAS, or the slow netlib reference), and the OpenMP/OpenBLAS variables.
"""

import ctypes
import os

import torch

# openblas_get_parallel(): how the loaded OpenBLAS was built to run in parallel.
OPENBLAS_PARALLEL = {0: "serial", 1: "pthread", 2: "openmp"}
ENV_PREFIXES = ("OPENBLAS", "OMP_", "MKL", "GOMP", "KMP_", "DNNL_", "ONEDNN_")


def loaded_libraries(words=("blas", "lapack", "mkl", "gomp", "iomp", "dnnl")):
    """Shared libraries mapped into this process whose file name mentions one of `words`."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "/" in line}
    except OSError:
        return []
    return sorted(p for p in paths if any(w in os.path.basename(p) for w in words))


def openblas_info(libraries):
    """Config string, parallel mode and thread count of the first loaded library that is an OpenBLAS."""
    for path in libraries:
        try:
            lib = ctypes.CDLL(path)
            get_config = lib.openblas_get_config
        except (OSError, AttributeError):
            continue
        get_config.restype = ctypes.c_char_p
        parallel = int(lib.openblas_get_parallel())
        return {
            "library": path,
            "config": get_config().decode(),
            "parallel": OPENBLAS_PARALLEL.get(parallel, str(parallel)),
            "threads": int(lib.openblas_get_num_threads()),
        }
    return None


def reference_info(requested_threads):
    """Everything about the reference; call before torch.set_num_threads (it records torch's default).
    requested_threads None keeps the default."""
    default_threads = torch.get_num_threads()
    if requested_threads is not None:
        torch.set_num_threads(requested_threads)
    # A tiny product makes torch load and initialise its BLAS before the maps are read.
    torch.mm(torch.ones(8, 8), torch.ones(8, 8))
    libraries = loaded_libraries()
    return {
        "torch_version": torch.__version__,
        "default_threads": default_threads,
        "threads": torch.get_num_threads(),
        "interop_threads": torch.get_num_interop_threads(),
        "mkldnn": torch.backends.mkldnn.is_available(),
        "config": torch.__config__.show(),
        "parallel_info": torch.__config__.parallel_info(),
        "libraries": libraries,
        "openblas": openblas_info([p for p in libraries if "blas" in os.path.basename(p)]),
        "env": {k: v for k, v in os.environ.items() if k.startswith(ENV_PREFIXES)},
    }
