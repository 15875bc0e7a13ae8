"""The benchmark scripts are not run by the tests (they print numbers, bench/README.md),
but what they import from the app is checked, so moving a module cannot leave them
broken until the next benchmark run."""

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.mark.parametrize("script", sorted(BENCH.glob("*.py")), ids=lambda p: p.name)
def test_a_benchmark_script_imports_without_error_and_says_what_it_measures(script):
    spec = importlib.util.spec_from_file_location(f"bench_{script.stem}", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # runs its imports, not its __main__ block

    assert module.__doc__
