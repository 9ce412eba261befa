"""A workbook's source places are looked up when a flag asks for one: the table reads,
compares, pickles and copies as a table made at once would, from any thread."""

from __future__ import annotations

import copy
import pickle
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from perfscore.form.fields import Location
from perfscore.form.model import Form
from perfscore.form.sources import sources_of
from perfscore.paths import SourceLocation
from perfscore.readers import load_forms
from perfscore.readers.grid import GridForm
from perfscore.readers.places import GridOrigin, grid_sources
from perfscore.readers.writer import write_workbook
from tests.conftest import DATA

FORM = DATA / "forms" / "caidian-2020-department.yaml"


def _workbook_form(tmp_path: Path) -> Form:
    (form,) = load_forms(FORM)
    path = tmp_path / "dept.xlsx"
    write_workbook([form], path)
    (read,) = load_forms(path, isolate=False)
    return read


def test_a_workbook_form_finds_its_places_as_asked(tmp_path: Path) -> None:
    form = _workbook_form(tmp_path)
    sources = sources_of(form)
    assert not isinstance(sources, dict)  # nothing made while reading
    made = dict(sources)
    assert made[("indicators", 0, "name")].sheet is not None
    assert made[("indicators", 0, "name")].cell is not None
    assert sources == made
    assert len(sources) == len(made)
    assert sources.get(("no", "such", "path")) is None


def test_the_places_pickle_and_copy_as_a_dict(tmp_path: Path) -> None:
    form = _workbook_form(tmp_path)
    sources = sources_of(form)
    assert pickle.loads(pickle.dumps(sources)) == dict(sources)
    assert copy.deepcopy(sources) == dict(sources)
    assert pickle.loads(pickle.dumps(form)) == form


def test_threads_reading_one_table_at_once_see_the_same_places() -> None:
    grid = GridForm(data={}, positions={("indicators", i, "name"): (i + 3, 2) for i in range(50)})
    grid.origin = GridOrigin(sheet="Sheet1")
    for _ in range(20):
        table = grid_sources(grid, "f.xlsx")
        with ThreadPoolExecutor(4) as pool:
            seen: list[dict[Location, SourceLocation]] = list(pool.map(dict, [table] * 8))
        assert all(one == seen[0] for one in seen)
        assert seen[0][("indicators", 0, "name")].cell == "C4"
        assert seen[0][("indicators", 0)].row == 4
