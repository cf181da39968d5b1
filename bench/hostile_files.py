"""Peak memory of reading each hostile file of the test corpus (tests/core/hostile_files.py).

Each file is written to disk first, then read in a fresh process (read_table, then the feedback
mapping of its rows), so one file's peak is not another's. Usage: python bench/hostile_files.py.
The last printed line is one JSON object: {"max_peak_mb": ..., "files": {name: peak_mb}}.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT_MB = 300


def peak_mb() -> float:
    """This process's peak resident memory: VmHWM, which (unlike ru_maxrss) starts afresh at
    exec instead of carrying the parent's peak at fork."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def read_one(path: str, file_name: str) -> None:
    """In the child: read the file as an upload would be; print the outcome, then the peak."""
    outcome = _read(path, file_name)
    print(outcome)
    print(f"{peak_mb():.1f}")


def _read(path: str, file_name: str) -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pulso.settings")
    os.environ.setdefault("PULSO_DATA_DIR", tempfile.mkdtemp())
    import django

    django.setup()
    from pulso.core.files import ImportFileError, read_table
    from pulso.feedback.importing import detect_mapping, rows_to_items

    data = Path(path).read_bytes()
    try:
        table = read_table(data, file_name)
    except ImportFileError as exc:
        return f"refused: {exc}"
    items, rejects = rows_to_items(table, detect_mapping(table.headers), {"source": "review"})
    return f"read: {len(items)} rows, {len(rejects)} rejected"


def measure(name: str, file_name: str, path: Path) -> tuple[float, str]:
    child = subprocess.Popen(
        [sys.executable, __file__, "--one", str(path), file_name],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    out = child.communicate()[0].strip().splitlines()
    if child.returncode != 0 or len(out) < 2:
        raise SystemExit(f"{name}: the reader failed ({child.returncode})")
    return float(out[-1]), out[-2]


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from tests.core.hostile_files import CORPUS

    peaks: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, (file_name, make) in CORPUS.items():
            path = Path(folder) / name
            path.write_bytes(make())
            peak, outcome = measure(name, file_name, path)
            peaks[name] = round(peak, 1)
            size_kb = path.stat().st_size / 1024
            print(f"{name:24} {size_kb:10.1f} KB  peak {peak:6.1f} MB  {outcome}")
    print(json.dumps({"max_peak_mb": max(peaks.values()), "limit_mb": LIMIT_MB, "files": peaks}))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--one":
        read_one(sys.argv[2], sys.argv[3])
    else:
        main()
