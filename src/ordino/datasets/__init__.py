"""The dataset families a catalog ``type:`` names, as in kedro-datasets.

=============  ===============================================================
family         types
=============  ===============================================================
pandas         CSVDataset, ParquetDataset, ExcelDataset, JSONDataset,
               FeatherDataset, GenericDataset, SQLTableDataset, SQLQueryDataset
polars         CSVDataset, EagerPolarsDataset, LazyPolarsDataset
pickle         PickleDataset (pickle, joblib, cloudpickle backends)
json           JSONDataset
yaml           YAMLDataset
text           TextDataset
matplotlib     MatplotlibDataset (also by its older name MatplotlibWriter)
plotly         PlotlyDataset, JSONDataset
partitions     PartitionedDataset, IncrementalDataset
=============  ===============================================================

Nothing is imported here: ``ordino.datasets.pandas`` is imported when a catalog
names ``pandas.*``, and pandas itself only when such a dataset first loads or saves.
Every file dataset saves atomically (see ``ordino.io.files`` and docs/datasets.md).
"""
