"""Batch jobs: code a large corpus partition by partition into Parquet datasets.

``plan`` cuts the inputs into partitions, ``partition.run_partition`` codes one of them
and writes its files, ``load.load`` puts the datasets into the store. None of these
import Dask; ``dask_engine`` is the thin adapter that runs partitions on a cluster.
"""

from tidings.batch.load import load
from tidings.batch.partition import code_partition, run_partition
from tidings.batch.plan import Partition, Slice, fingerprint, plan, read_partition
from tidings.batch.tables import DATASETS

__all__ = ["DATASETS", "Partition", "Slice", "code_partition", "fingerprint", "load", "plan",
           "read_partition", "run_partition"]
