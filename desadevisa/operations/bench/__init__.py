"""``desadevisa bench``: the product's speed, each figure beside a floor measured in the same run.

A floor is the cheapest way to do the same thing on the same machine and database at that
moment (fixed bytes through the same server and middleware; the same rows written with no
validation), so a ratio holds on a noisy machine where a bare figure would not.
"""

from desadevisa.operations.bench.harness import BENCHMARKS, Metric, bench_run, machine_facts

__all__ = ["BENCHMARKS", "Metric", "bench_run", "machine_facts"]
