"""Project and pipeline names: derived spellings and refusals that give the reason."""

from __future__ import annotations

import pytest

from ordino.cli.names import check_pipeline_name, project_names
from ordino.errors import ProjectError


def test_a_project_name_gives_folder_and_package_names() -> None:
    names = project_names("Space  Flights-Demo")
    assert names.project_name == "Space Flights-Demo"
    assert names.repo_name == "space-flights-demo"
    assert names.package_name == "space_flights_demo"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("class", "Python keyword"),
        ("import", "Python keyword"),
        ("None", "Python keyword"),
        ("json", "standard library"),
        ("collections", "standard library"),
        ("Email", "standard library"),
        ("ordino", "reserved"),
        ("my/project", "contains '/'"),
        ("proj$", r"contains '\$'"),
        ("émile", "contains"),
        ("1st project", "start with a letter"),
        ("x", "at least two characters"),
    ],
)
def test_invalid_project_names_are_refused_with_the_reason(
    name: str, reason: str
) -> None:
    with pytest.raises(ProjectError, match=reason):
        project_names(name)


@pytest.mark.parametrize("name", ["data_processing", "ds2", "features"])
def test_valid_pipeline_names(name: str) -> None:
    check_pipeline_name(name)


@pytest.mark.parametrize("name", ["Data", "2fast", "my-pipe", "for", ""])
def test_invalid_pipeline_names(name: str) -> None:
    with pytest.raises(ProjectError, match="Invalid pipeline name"):
        check_pipeline_name(name)
