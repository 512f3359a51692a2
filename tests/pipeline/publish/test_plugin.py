"""The Datasette plugin and metadata tested in process (Datasette's own plugin-testing way:
``Datasette([db]).client``), on a small database whose file is not called plantrace.db."""

import asyncio
import shutil

import pytest
import yaml
from datasette.app import Datasette

from pipeline.cli import METADATA
from pipeline.intake.ingest import Pipeline
from tests.conftest import SEED


@pytest.fixture(scope="module")
def small_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("plugin")
    seed = folder / "ke-hoach.txt"
    shutil.copy(SEED, seed)
    db_path = folder / "huyen-thu.db"  # any name: the plugin must not assume plantrace.db
    summary = Pipeline(db_path).ingest([seed])
    assert summary.count("ingested") == 1
    return db_path, summary.outcomes[0].document_id


def get(db_path, path):
    async def go():
        ds = Datasette([str(db_path)], metadata=yaml.safe_load(METADATA.read_text(encoding="utf-8")))
        await ds.invoke_startup()
        return await ds.client.get(path)

    return asyncio.run(go())


def test_plugin_is_registered_by_its_entry_point():
    from datasette.plugins import pm

    assert "pipeline.publish.plugin" in {getattr(p, "__name__", "") for p in pm.get_plugins()}


def test_document_page_shows_the_document_whatever_the_database_is_called(small_db):
    db_path, doc_id = small_db
    r = get(db_path, f"/-/van-ban/{doc_id}")
    assert r.status_code == 200
    assert "Trùng Khánh" in r.text  # the seed plan's own words, highlighted page


def test_document_page_unknown_id_is_a_404_in_vietnamese(small_db):
    r = get(small_db[0], "/-/van-ban/khong-co")
    assert r.status_code == 404 and "Không có văn bản này" in r.text
