"""SQL datasets against a real SQLite database file through SQLAlchemy."""

from __future__ import annotations

import traceback

import pandas as pd
import pytest

from ordino.datasets.pandas import SQLQueryDataset, SQLTableDataset
from ordino.errors import DatasetError

SECRET = "hunter2-SECRET-pw"


@pytest.fixture
def credentials(tmp_path):
    return {"con": f"sqlite:///{tmp_path / 'shuttles.db'}"}


@pytest.fixture
def frame():
    return pd.DataFrame({"id": [1, 2, 3], "name": ["a", "b", "c"]})


def _everything_printed(error: BaseException) -> str:
    return "".join(traceback.format_exception(error)) + repr(error)


def test_table_round_trip_and_exists(credentials, frame):
    table = SQLTableDataset(table_name="shuttles", credentials=credentials)
    assert not table.exists()
    table.save(frame)
    assert table.exists()
    pd.testing.assert_frame_equal(table.load(), frame)
    assert table.preview(nrows=2) == {
        "index": [0, 1],
        "columns": ["id", "name"],
        "data": [[1, "a"], [2, "b"]],
    }


def test_saving_onto_an_existing_table_follows_if_exists(credentials, frame):
    SQLTableDataset(table_name="t", credentials=credentials).save(frame)
    with pytest.raises(
        DatasetError, match=r"Failed to save pandas\.SQLTableDataset to table 't'"
    ):
        SQLTableDataset(table_name="t", credentials=credentials).save(frame)
    replace = SQLTableDataset(
        table_name="t", credentials=credentials, save_args={"if_exists": "replace"}
    )
    replace.save(frame.head(1))
    assert len(replace.load()) == 1
    append = SQLTableDataset(
        table_name="t", credentials=credentials, save_args={"if_exists": "append"}
    )
    append.save(frame)
    assert len(append.load()) == 4


def test_a_failed_replace_rolls_back_to_the_old_table(credentials, frame):
    table = SQLTableDataset(
        table_name="t", credentials=credentials, save_args={"if_exists": "replace"}
    )
    table.save(frame)
    # sqlite cannot bind a dict: the insert fails after the table was dropped and
    # recreated inside the transaction, which must roll back.
    bad = pd.DataFrame({"id": [9, 10], "name": ["ok", {"not": "bindable"}]})
    with pytest.raises(DatasetError, match="Failed to save"):
        table.save(bad)
    pd.testing.assert_frame_equal(table.load(), frame)


def test_query_inline_and_from_a_file(tmp_path, credentials, frame):
    SQLTableDataset(table_name="t", credentials=credentials).save(frame)
    inline = SQLQueryDataset(
        sql="SELECT name FROM t WHERE id > 1", credentials=credentials
    )
    assert inline.load()["name"].tolist() == ["b", "c"]
    query_file = tmp_path / "query.sql"
    query_file.write_text("SELECT id FROM t ORDER BY id DESC", encoding="utf-8")
    from_file = SQLQueryDataset(filepath=str(query_file), credentials=credentials)
    assert from_file.load()["id"].tolist() == [3, 2, 1]
    chunked = SQLQueryDataset(
        sql="SELECT * FROM t",
        credentials=credentials,
        load_args={"chunksize": 2},
        execution_options={"stream_results": True},
    )
    assert [len(chunk) for chunk in chunked.load()] == [2, 1]


def test_query_dataset_is_read_only(credentials):
    dataset = SQLQueryDataset(sql="SELECT 1", credentials=credentials)
    with pytest.raises(DatasetError, match=r"(?s)read-only.*SQLTableDataset"):
        dataset.save(None)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sql": "SELECT 1", "filepath": "q.sql"}, "either 'sql' or 'filepath'"),
        ({}, "'sql' and 'filepath' are both empty"),
    ],
)
def test_query_needs_exactly_one_of_sql_and_filepath(credentials, kwargs, message):
    with pytest.raises(DatasetError, match=message):
        SQLQueryDataset(credentials=credentials, **kwargs)


def test_missing_con_says_where_the_connection_string_goes():
    with pytest.raises(DatasetError, match="'con' is missing") as info:
        SQLTableDataset(table_name="t", credentials={})
    assert "credentials.yml" in str(info.value)


def test_con_outside_credentials_is_refused(credentials):
    with pytest.raises(DatasetError, match="'con' found in load_args"):
        SQLTableDataset(
            table_name="t", credentials=credentials, load_args={"con": "sqlite://"}
        )


def test_missing_table_error_names_the_table(credentials):
    with pytest.raises(DatasetError, match="from table 'nowhere'") as info:
        SQLTableDataset(table_name="nowhere", credentials=credentials).load()
    assert info.value.__cause__ is not None


SECRET_CONNECTIONS = [
    # a dialect that does not exist
    f"nosuchdialect://scott:{SECRET}@localhost/db",
    # a database file in a folder that does not exist: fails on connect
    f"sqlite:////nonexistent-{SECRET}/folder/db.sqlite",
    # a string SQLAlchemy cannot parse
    f"not a url {SECRET}",
]


@pytest.mark.parametrize("con", SECRET_CONNECTIONS)
def test_the_connection_string_never_appears_anywhere(con):
    table = SQLTableDataset(table_name="t", credentials={"con": con, "echo": False})
    query = SQLQueryDataset(sql="SELECT 1", credentials={"con": con})
    printed = [
        repr(table),
        str(table),
        str(table.describe()),
        repr(query),
        str(query.describe()),
    ]
    for operation in (table.load, table.exists, query.load, table.preview):
        with pytest.raises(DatasetError) as info:
            operation()
        printed.append(_everything_printed(info.value))
    with pytest.raises(DatasetError) as info:
        table.save(pd.DataFrame({"a": [1]}))
    printed.append(_everything_printed(info.value))
    everything = "\n".join(printed)
    assert SECRET not in everything
    assert con not in everything
