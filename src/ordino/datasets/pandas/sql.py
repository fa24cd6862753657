"""``pandas.SQLTableDataset`` and ``pandas.SQLQueryDataset``: databases via SQLAlchemy.

The connection string (``credentials: {con: ...}``) is a secret: it never appears in
a ``repr``, ``describe()``, a log line or an error message. SQLAlchemy quotes URLs
in some errors, so such errors are summarised (redacted) instead of chained.

A table save runs in one transaction: with ``if_exists: replace`` a failure half-way
rolls back to the previous table instead of leaving it dropped or half-filled.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from ordino.datasets._failures import reported
from ordino.datasets._imports import require
from ordino.datasets._secrets import collect_secrets
from ordino.datasets.pandas._common import pandas_module, table_preview
from ordino.errors import DatasetError
from ordino.io.dataset import AbstractDataset

if TYPE_CHECKING:
    import pandas as pd
    from sqlalchemy.engine import Engine

__all__ = ["SQLQueryDataset", "SQLTableDataset"]

T = TypeVar("T")


class _SQLConnection:
    """The engine of one dataset, built on first use from ``credentials``."""

    def __init__(self, kind: str, credentials: Mapping[str, Any] | None) -> None:
        con = (credentials or {}).get("con")
        if not con or not isinstance(con, str):
            raise DatasetError(
                f"{kind}: 'con' is missing from its credentials.",
                hint="Give a SQLAlchemy connection string as credentials, e.g. in "
                "conf/local/credentials.yml: 'db: {con: sqlite:///data/db.sqlite}', "
                "and 'credentials: db' in the catalog entry.",
            )
        self.kind = kind
        self._con = con
        self._engine_args = {k: v for k, v in (credentials or {}).items() if k != "con"}
        self.secrets = collect_secrets(credentials)
        self._engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            sqlalchemy = require("sqlalchemy", extra="sql", dataset=self.kind)
            engine = sqlalchemy.create_engine(self._con, **self._engine_args)
            if engine.dialect.name == "sqlite" and engine.dialect.driver == "pysqlite":
                _make_sqlite_transactional(sqlalchemy, engine)
            self._engine = engine
        return self._engine

    def run(self, action: str, where: str, operation: Callable[[], T]) -> T:
        return reported(
            action, self.kind, where, operation, secrets=self.secrets, where=where
        )


def _make_sqlite_transactional(sqlalchemy: Any, engine: Engine) -> None:
    """Make DDL part of the transaction on SQLite (SQLAlchemy's documented recipe).

    Python's sqlite3 driver only opens a transaction before INSERT/UPDATE/DELETE, so
    the DROP and CREATE of ``if_exists: replace`` would commit on their own and a
    failed insert would leave an empty table. Emitting BEGIN ourselves fixes that.
    """

    def no_implicit_transactions(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    def explicit_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")

    sqlalchemy.event.listen(engine, "connect", no_implicit_transactions)
    sqlalchemy.event.listen(engine, "begin", explicit_begin)


def _refuse_con(kind: str, **arg_groups: Mapping[str, Any]) -> None:
    for group, args in arg_groups.items():
        if "con" in args:
            raise DatasetError(
                f"{kind}: 'con' found in {group}; the connection string belongs in "
                "credentials, where it is kept secret.",
                hint="Move it to conf/local/credentials.yml and reference it with "
                "'credentials: <name>'.",
            )


class SQLTableDataset(AbstractDataset["pd.DataFrame", "pd.DataFrame"]):
    """Loads a table with ``read_sql_table`` and saves with ``DataFrame.to_sql``.

    The index is not saved (``save_args: {index: false}``) so load and save are
    symmetric. As in pandas, saving onto an existing table fails unless
    ``save_args: {if_exists: replace}`` (or ``append``).

    Example:
        >>> import pandas as pd, tempfile, os
        >>> db = os.path.join(tempfile.mkdtemp(), "test.db")
        >>> dataset = SQLTableDataset(
        ...     table_name="cars", credentials={"con": f"sqlite:///{db}"}
        ... )
        >>> dataset.save(pd.DataFrame({"a": [1, 2]}))
        >>> dataset.load()["a"].tolist()
        [1, 2]
    """

    DEFAULT_LOAD_ARGS: ClassVar[dict[str, Any]] = {}
    DEFAULT_SAVE_ARGS: ClassVar[dict[str, Any]] = {"index": False}

    def __init__(
        self,
        *,
        table_name: str,
        credentials: Mapping[str, Any],
        load_args: Mapping[str, Any] | None = None,
        save_args: Mapping[str, Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        if not table_name or not isinstance(table_name, str):
            raise DatasetError(
                "pandas.SQLTableDataset: 'table_name' cannot be empty.",
                hint="Name the table to read and write, e.g. 'table_name: shuttles'.",
            )
        self._connection = _SQLConnection("pandas.SQLTableDataset", credentials)
        self._table_name = table_name
        self._load_args = {**self.DEFAULT_LOAD_ARGS, **dict(load_args or {})}
        self._save_args = {**self.DEFAULT_SAVE_ARGS, **dict(save_args or {})}
        _refuse_con(
            "pandas.SQLTableDataset",
            load_args=self._load_args,
            save_args=self._save_args,
        )
        self.metadata = dict(metadata) if metadata is not None else None

    @property
    def _where(self) -> str:
        schema = self._load_args.get("schema")
        return (
            f"table '{schema}.{self._table_name}'"
            if schema
            else (f"table '{self._table_name}'")
        )

    def load(self) -> pd.DataFrame:
        """The whole table as a DataFrame."""

        def read() -> pd.DataFrame:
            pandas = pandas_module("pandas.SQLTableDataset")
            frame: pd.DataFrame = pandas.read_sql_table(
                self._table_name, con=self._connection.engine, **self._load_args
            )
            return frame

        return self._connection.run("load", self._where, read)

    def save(self, data: pd.DataFrame) -> None:
        """Write the frame in one transaction (rolled back on any failure)."""

        def write() -> None:
            with self._connection.engine.begin() as connection:
                data.to_sql(name=self._table_name, con=connection, **self._save_args)

        self._connection.run("save", self._where, write)

    def _exists(self) -> bool:
        def check() -> bool:
            sqlalchemy = require("sqlalchemy", extra="sql", dataset="SQLTableDataset")
            inspector = sqlalchemy.inspect(self._connection.engine)
            return bool(
                inspector.has_table(
                    self._table_name, schema=self._load_args.get("schema")
                )
            )

        return self._connection.run("check", self._where, check)

    def preview(self, nrows: int = 5, **kwargs: Any) -> dict[str, Any]:
        """The first ``nrows`` rows, fetched as one chunk (not the whole table)."""

        def first_rows() -> dict[str, Any]:
            pandas = pandas_module("pandas.SQLTableDataset")
            args = {**self._load_args, **kwargs, "chunksize": nrows}
            with self._connection.engine.connect() as connection:
                chunks = pandas.read_sql_table(self._table_name, con=connection, **args)
                first = next(iter(chunks), None)
                if first is None:
                    first = pandas.read_sql_table(
                        self._table_name, con=connection, **self._load_args
                    )
                return table_preview(first)

        return self._connection.run("preview", self._where, first_rows)

    def _describe(self) -> dict[str, Any]:
        return {
            "table_name": self._table_name,
            "load_args": self._load_args or None,
            "save_args": self._save_args,
        }


class SQLQueryDataset(AbstractDataset[None, "pd.DataFrame"]):
    """Loads the result of a SQL query (given inline or in a file); read-only.

    ``execution_options`` go to SQLAlchemy (``stream_results: true`` with
    ``load_args: {chunksize: 1000}`` streams big results).

    Example:
        >>> import pandas as pd, tempfile, os
        >>> db = os.path.join(tempfile.mkdtemp(), "test.db")
        >>> creds = {"con": f"sqlite:///{db}"}
        >>> SQLTableDataset(table_name="cars", credentials=creds).save(
        ...     pd.DataFrame({"a": [1, 2]})
        ... )
        >>> query = SQLQueryDataset(
        ...     sql="SELECT a FROM cars WHERE a > 1", credentials=creds
        ... )
        >>> query.load()["a"].tolist()
        [2]
    """

    def __init__(
        self,
        sql: str | None = None,
        credentials: Mapping[str, Any] | None = None,
        load_args: Mapping[str, Any] | None = None,
        fs_args: Mapping[str, Any] | None = None,
        filepath: str | os.PathLike[str] | None = None,
        execution_options: Mapping[str, Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        if sql and filepath:
            raise DatasetError(
                "pandas.SQLQueryDataset: give either 'sql' or 'filepath', not both.",
                hint="Keep the query inline ('sql:') or in a file ('filepath:').",
            )
        if not sql and not filepath:
            raise DatasetError(
                "pandas.SQLQueryDataset: 'sql' and 'filepath' are both empty.",
                hint="Give the query inline ('sql: SELECT ...') or the path of a "
                ".sql file ('filepath: conf/base/sql/query.sql').",
            )
        self._connection = _SQLConnection("pandas.SQLQueryDataset", credentials)
        self._sql = sql
        self._filepath = os.fspath(filepath) if filepath is not None else None
        self._fs_args = dict(fs_args or {})
        self._load_args = dict(load_args or {})
        _refuse_con("pandas.SQLQueryDataset", load_args=self._load_args)
        self._execution_options = dict(execution_options or {})
        self.metadata = dict(metadata) if metadata is not None else None

    @property
    def _where(self) -> str:
        return f"query file '{self._filepath}'" if self._filepath else "query"

    def _query(self) -> str:
        if self._sql:
            return self._sql
        from ordino.io.files import build_filesystem, open_args, parse_protocol_path

        assert self._filepath is not None
        protocol, path = parse_protocol_path(self._filepath)
        fs = build_filesystem(protocol, self._fs_args)
        load_open, _ = open_args(self._fs_args)
        load_open.setdefault("encoding", "utf-8")
        with fs.open(path, mode="r", **load_open) as stream:
            text: str = stream.read()
        return text

    def load(self) -> pd.DataFrame:
        """Run the query and return its result."""

        def read() -> pd.DataFrame:
            pandas = pandas_module("pandas.SQLQueryDataset")
            engine = self._connection.engine
            if self._execution_options:
                engine = engine.execution_options(**self._execution_options)
            frame: pd.DataFrame = pandas.read_sql_query(
                self._query(), con=engine, **self._load_args
            )
            return frame

        return self._connection.run("load", self._where, read)

    def save(self, data: None) -> None:
        """Always fails: a query result cannot be written back."""
        raise DatasetError(
            f"pandas.SQLQueryDataset ({self._where}) is read-only: save() is not "
            "supported.",
            hint="Save to a table with pandas.SQLTableDataset instead.",
        )

    def _describe(self) -> dict[str, Any]:
        return {
            "sql": self._sql,
            "filepath": self._filepath,
            "load_args": self._load_args or None,
            "execution_options": self._execution_options or None,
        }
