"""The cache of tree vocabularies gives what a scan gives, and a change to
any .m4 file the scan reads makes it scan again."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from mccompiler.lint import vocab
from mccompiler.lint.vocab_cache import VocabCache, fingerprint
from oracles import cf_tree


def _small_tree(root: Path) -> Path:
    (root / "m4").mkdir(parents=True)
    (root / "feature").mkdir()
    (root / "m4" / "cf.m4").write_text("define(`_CF_DIR_', `x')dnl\n")
    (root / "m4" / "proto.m4").write_text(
        "_OPTION(LogLevel, `confLOG_LEVEL', `9')\nifdef(`confFOO', `x')\n"
    )
    (root / "feature" / "mine.m4").write_text("divert(0)\nifdef(`_MINE_', `', `')\n")
    return root


def test_stored_vocabulary_is_the_scanned_one(tmp_path: Path) -> None:
    tree = cf_tree()
    scanned = vocab.scan_tree(tree)
    cache = VocabCache(str(tmp_path / "cache.marshal"))
    stamp = fingerprint(str(tree), vocab.SCANNED_DIRS)
    assert cache.put(str(tree), stamp, vocab._to_stored(scanned), force=True)
    again = VocabCache(cache.path)  # a later process reads the file
    assert vocab._from_stored(again.get(str(tree), stamp)) == scanned
    assert again.get(str(tree), (*stamp, "other")) is None
    assert again.get("/no/such/tree", stamp) is None


def test_any_change_to_a_scanned_file_changes_the_fingerprint(tmp_path: Path) -> None:
    tree = _small_tree(tmp_path / "tree")
    key = str(tree)
    before = fingerprint(key, vocab.SCANNED_DIRS)
    assert fingerprint(key, vocab.SCANNED_DIRS) == before
    # the same size, another content and time
    mine = tree / "feature" / "mine.m4"
    mine.write_text(mine.read_text().replace("MINE", "MYNE"))
    os.utime(mine, ns=(1, 1))
    changed = fingerprint(key, vocab.SCANNED_DIRS)
    assert changed != before
    (tree / "feature" / "new.m4").write_text("dnl\n")
    assert fingerprint(key, vocab.SCANNED_DIRS) != changed
    shutil.rmtree(tree / "feature")
    assert fingerprint(key, vocab.SCANNED_DIRS)[1] is None


def test_a_bad_cache_file_is_no_error(tmp_path: Path) -> None:
    path = tmp_path / "cache.marshal"
    path.write_bytes(b"not marshal data \x00\xff")
    cache = VocabCache(str(path))
    assert cache.get("/x", ()) is None
    assert cache.put("/x", (), ("data",), force=True)
    assert VocabCache(str(path)).get("/x", ()) == ("data",)


def test_only_the_newest_trees_are_kept(tmp_path: Path) -> None:
    cache = VocabCache(str(tmp_path / "cache.marshal"))
    for number in range(12):
        cache.put(f"/tree{number}", (), number, force=True)
    again = VocabCache(cache.path)
    assert again.get("/tree0", ()) is None
    assert again.get("/tree11", ()) == 11
