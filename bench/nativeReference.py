"""Native reference for `npm run bench`: numpy/LAPACK singular values (no vectors) of every 2-D tensor of a
safetensors file, timed per matrix, in float64 as WeightWatcher computes them.

    python3 bench/nativeReference.py model.safetensors  ->  JSON on stdout

Reads the file with a memory map (no third-party packages beyond numpy). Exits 3 when numpy is missing, so the
benchmark can leave the native column out cleanly.
"""
import json
import struct
import sys
import time

try:
    import numpy as np
except ImportError:
    sys.exit(3)

DTYPES = {"F32": np.float32, "F64": np.float64, "F16": np.float16}


def main(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
    data = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + n)
    rows = []
    total64 = 0.0
    for name, entry in header.items():
        if name == "__metadata__" or len(entry["shape"]) != 2 or entry["dtype"] not in DTYPES:
            continue
        start, end = entry["data_offsets"]
        w = np.frombuffer(data[start:end], dtype=DTYPES[entry["dtype"]]).reshape(entry["shape"])
        w64 = w.astype(np.float64)
        t = time.perf_counter()
        sv = np.linalg.svd(w64, compute_uv=False)
        s64 = time.perf_counter() - t
        total64 += s64
        rows.append({"name": name, "shape": entry["shape"], "svd_f64_s": s64, "sv_max": float(sv[0])})
    cfg = getattr(np.__config__, "CONFIG", {})
    blas = cfg.get("Build Dependencies", {}).get("blas", {}).get("name", "unknown") if isinstance(cfg, dict) else "unknown"
    print(json.dumps({"numpy": np.__version__, "blas": blas, "python": sys.executable, "svd_f64_total_s": total64, "matrices": rows}))


if __name__ == "__main__":
    main(sys.argv[1])
