"""The one folder walker, shared by ingest and the watcher."""

import os

from pipeline.intake.ingest import collect
from pipeline.intake.walk import walk


def test_walk_takes_regular_files_and_leaves_folders_links_and_system_files(tmp_path):
    root = tmp_path / "inbox"
    (root / "sub").mkdir(parents=True)
    (root / "x.pdf").mkdir()  # a folder with a document's name is walked, never taken
    (root / "x.pdf" / "inside.docx").write_bytes(b"d")
    (root / "a.pdf").write_bytes(b"a")
    (root / "sub" / "b.docx").write_bytes(b"b")
    for junk in ("~$b.docx", "c.pdf.part", "Thumbs.db", ".hidden.pdf"):
        (root / junk).write_bytes(b"j")
    (root / ".git").mkdir()
    (root / ".git" / "d.pdf").write_bytes(b"d")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.pdf").write_bytes(b"s")
    os.symlink(outside, root / "linked-folder")
    os.symlink(outside / "secret.pdf", root / "linked.pdf")
    assert [p.relative_to(root).as_posix() for p in walk(root)] == ["a.pdf", "sub/b.docx", "x.pdf/inside.docx"]


def test_collect_walks_folders_and_keeps_named_files(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "one.pdf").write_bytes(b"1")
    named = tmp_path / "two.docx"
    named.write_bytes(b"2")
    assert collect([tmp_path / "d", named]) == [tmp_path / "d" / "one.pdf", named]
