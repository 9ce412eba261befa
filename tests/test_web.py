"""perfscore serve over plain HTTP: the guard (Host, Origin, sizes, counts), a batch from upload
to downloads, uploads that never become paths, escaping, rule files, and the batch store."""

from __future__ import annotations

import io
import json
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import DATA, EXAMPLES

pytest.importorskip("starlette", reason="perfscore serve needs the web extra")

from starlette.testclient import TestClient

from perfscore.web.app import create_app
from perfscore.web.settings import Settings

ORIGIN = {"origin": "http://127.0.0.1:8000"}
BASE = "http://127.0.0.1:8000"


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings()), base_url=BASE) as c:
        yield c


def _client(**limits: Any) -> TestClient:
    return TestClient(create_app(Settings(**limits)), base_url=BASE)


def _files(*paths: Path, extra: tuple[tuple[str, bytes], ...] = ()) -> list[Any]:
    sent: list[Any] = [("files", (p.name, p.read_bytes())) for p in paths]
    sent += [("files", (name, data)) for name, data in extra]
    return sent


def _finished(client: TestClient, job: str) -> dict[str, Any]:
    """Poll a batch until it is done (as the page does)."""
    for _ in range(300):
        status: dict[str, Any] = client.get(f"/jobs/{job}").json()
        if status["state"] == "done":
            return status
        time.sleep(0.05)
    raise AssertionError("the batch did not finish")


def _batch(client: TestClient, files: list[Any], **data: str) -> tuple[str, dict[str, Any]]:
    answer = client.post("/jobs", files=files, data=data, headers=ORIGIN)
    assert answer.status_code == 202, answer.text
    job = answer.json()["id"]
    return job, _finished(client, job)


# --- the guard --------------------------------------------------------------------------------


def test_page_is_served_with_its_protections(client: TestClient) -> None:
    """The page loads, in Chinese, with no inline script, and every answer forbids framing,
    sniffing, caching and foreign scripts."""
    page = client.get("/")
    assert page.status_code == 200
    assert "绩效自评表核查" in page.text
    assert "<script>" not in page.text
    assert "national-2020" in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["cache-control"] == "no-store"
    assert client.get("/static/app.js").status_code == 200


@pytest.mark.parametrize(
    "host", ["evil.example:8000", "evil.example", "127.0.0.1:9999", "127.0.0.1", ""]
)
def test_a_request_for_another_host_is_refused(client: TestClient, host: str) -> None:
    """DNS rebinding: a Host that is not the server's own address and port gets 403."""
    answer = client.get("/", headers={"host": host})
    assert answer.status_code == 403
    assert "refused" in answer.text
    assert "--allow-host" in answer.text


def test_the_loopback_names_and_allowed_hosts_are_accepted() -> None:
    """localhost:PORT reaches a loopback server; a name given with --allow-host reaches one
    listening elsewhere, and its loopback names still do."""
    with _client() as c:
        assert c.get("/", headers={"host": "localhost:8000"}).status_code == 200
    with _client(host="0.0.0.0", allowed_hosts=("audit.local",)) as c:
        assert c.get("/", headers={"host": "audit.local:8000"}).status_code == 200
        assert c.get("/", headers={"host": "0.0.0.0:8000"}).status_code == 403


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "http://evil.example"},
        {"origin": "http://127.0.0.1:9999"},
        {"origin": "null"},
        {},  # no Origin at all: not this server's page
    ],
    ids=["other-site", "other-port", "null", "none"],
)
def test_a_cross_origin_post_is_refused(client: TestClient, headers: dict[str, str]) -> None:
    """A POST that does not come from the server's own page starts nothing: 403, no batch."""
    sent = _files(EXAMPLES / "luohu-2024-social-workers.yaml")
    answer = client.post("/jobs", files=sent, headers=headers)
    assert answer.status_code == 403
    assert "refused" in answer.text
    assert not any(client.app.app.state.site.store.root.iterdir())  # type: ignore[attr-defined]


def test_port_80_is_left_out_as_browsers_do() -> None:
    """On port 80 a browser sends Host and Origin without the port: both are accepted."""
    settings = Settings(port=80)
    assert "127.0.0.1" in settings.hosts()
    assert "http://localhost" in settings.origins()
    assert "127.0.0.1:8000" not in settings.hosts()


def test_a_cross_origin_read_is_refused(client: TestClient) -> None:
    """Another site's script cannot read a batch either."""
    answer = client.get("/jobs/x", headers={"origin": "http://evil.example"})
    assert answer.status_code == 403


def test_an_oversized_upload_is_refused_before_it_is_read() -> None:
    """A declared length over the limit: 413 with the limit and what to do."""
    with _client(max_upload_bytes=1024 * 1024) as c:
        big = [("files", ("big.yaml", b"x" * (1024 * 1024 + 1)))]
        answer = c.post("/jobs", files=big, headers=ORIGIN)
    assert answer.status_code == 413
    assert "larger than the 1 MB accepted at once" in answer.text
    assert "--max-upload-mb" in answer.text


def test_an_oversized_upload_without_a_length_is_stopped_at_the_limit() -> None:
    """A chunked body (no Content-Length) is cut off as soon as it passes the limit."""

    def chunks() -> Iterator[bytes]:
        for _ in range(40):
            yield b"y" * 65536

    with _client(max_upload_bytes=1024 * 1024) as c:
        answer = c.post(
            "/jobs",
            content=chunks(),
            headers={**ORIGIN, "content-type": "multipart/form-data; boundary=b"},
        )
    assert answer.status_code == 413


def test_too_many_files_are_refused() -> None:
    """More files than --max-files: 400 naming the limit; nothing kept."""
    with _client(max_files=2) as c:
        sent = _files(extra=tuple((f"f{i}.yaml", b"kind: project\n") for i in range(3)))
        answer = c.post("/jobs", files=sent, headers=ORIGIN)
        assert answer.status_code == 400
        assert "at most 2" in answer.text
        assert not any(c.app.app.state.site.store.root.iterdir())  # type: ignore[attr-defined]


# --- a batch ----------------------------------------------------------------------------------


def test_a_batch_from_upload_to_downloads(client: TestClient) -> None:
    """Two forms and a broken file: the progress counts the files, the report shows both
    totals printed and recomputed and names the broken file; the explanation and the CSV
    and JSON downloads follow."""
    sent = _files(
        EXAMPLES / "luohu-2024-social-workers.yaml",
        EXAMPLES / "luohu-2024-notary-lawyers.yaml",
        extra=(("broken.xlsx", b"not a workbook"),),
    )
    job, status = _batch(client, sent)
    assert (status["done"], status["total"]) == (3, 3)
    # In the order of their names, as `perfscore score DIR` lists them.
    assert [f["recomputed"] for f in status["forms"]] == ["93.69", "99.9"]
    assert status["failures"][0]["file"] == "broken.xlsx"
    report = client.get(f"/jobs/{job}/report").text
    assert "购买社工岗位服务" in report
    assert "公证律师管理经费" in report
    assert "共 2 张表：" in report  # the closing summary, as every human report ends
    assert "1 个文件无法读取" in report
    assert "broken.xlsx" in report
    assert "/tmp" not in report
    number = next(f["number"] for f in status["forms"] if f["title"] == "购买社工岗位服务")
    explained = client.get(f"/jobs/{job}/forms/{number}/explain", params={"row": "2"}).text
    assert "解矫率" in explained
    assert "≥90%" in explained
    csv = client.get(f"/jobs/{job}/download/csv")
    assert csv.headers["content-type"].startswith("text/csv")
    assert "attachment" in csv.headers["content-disposition"]
    assert "购买社工岗位服务" in csv.text
    assert "perfscore-web-" not in csv.text + explained  # never the private folder
    assert "perfscore-web-" not in client.get(f"/jobs/{job}/download/json").text
    data = client.get(f"/jobs/{job}/download/json").json()
    assert [d["total"] for d in data] == ["93.69", "99.90"]
    assert {d["source"] for d in data} == {
        "luohu-2024-social-workers.yaml",
        "luohu-2024-notary-lawyers.yaml",
    }


def test_a_batch_in_english(client: TestClient) -> None:
    """The language chosen on the page is the report's."""
    job, _ = _batch(client, _files(EXAMPLES / "luohu-2024-notary-lawyers.yaml"), lang="en")
    report = client.get(f"/jobs/{job}/report").text
    assert "Recomputed" in report
    assert "重算得分" not in report


def test_an_annotated_workbook_and_a_zip_of_several(client: TestClient, tmp_path: Path) -> None:
    """One workbook: its annotated copy; two: a zip of both, named after the uploads."""
    from openpyxl import load_workbook

    book = _workbook(tmp_path, EXAMPLES / "luohu-2024-social-workers.yaml")
    job, _ = _batch(client, [("files", ("社工.xlsx", book.read_bytes()))])
    one = client.get(f"/jobs/{job}/download/annotated")
    assert one.status_code == 200
    assert (
        "filename*=UTF-8''%E7%A4%BE%E5%B7%A5.annotated.xlsx" in one.headers["content-disposition"]
    )
    sheets = load_workbook(io.BytesIO(one.content)).sheetnames
    assert sheets[-1] == "perfscore"
    summary = load_workbook(io.BytesIO(one.content))["perfscore"]
    texts = [str(c.value) for row in summary.iter_rows() for c in row if c.value]
    assert not any("perfscore-web-" in t for t in texts)  # the private path is not shown
    two = [("files", (f"{d}/社工.xlsx", book.read_bytes())) for d in ("a", "b")]
    job, _ = _batch(client, two)
    zipped = client.get(f"/jobs/{job}/download/annotated")
    assert zipped.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(zipped.content)).namelist()
    assert names == ["社工.annotated.xlsx", "社工-2.annotated.xlsx"]


def test_no_workbook_to_annotate_says_so(client: TestClient) -> None:
    """A batch of YAML forms has no workbook to annotate: a sentence, not an empty file."""
    job, _ = _batch(client, _files(EXAMPLES / "luohu-2024-notary-lawyers.yaml"))
    answer = client.get(f"/jobs/{job}/download/annotated")
    assert answer.status_code == 400
    assert "no Excel workbook was scored" in answer.text


def _workbook(folder: Path, form: Path) -> Path:
    from perfscore.readers import load_forms
    from perfscore.readers.writer import write_workbook

    target = folder / f"{form.stem}.xlsx"
    write_workbook(load_forms(form), target)
    return target


def test_values_are_escaped(client: TestClient) -> None:
    """A project named like markup is shown as text, in the report and the upload's name."""
    text = (EXAMPLES / "luohu-2024-social-workers.yaml").read_text("utf-8")
    hostile = text.replace("project: 购买社工岗位服务", 'project: "<img src=x onerror=alert(1)>"')
    job, _ = _batch(client, [("files", ("<b>x</b>.yaml", hostile.encode()))])
    report = client.get(f"/jobs/{job}/report").text
    assert "<img" not in report
    assert "&lt;img src=x onerror=alert(1)&gt;" in report
    assert "<b>x</b>" not in report
    assert "&lt;b&gt;x&lt;/b&gt;.yaml" in report


def test_upload_names_never_become_paths(client: TestClient) -> None:
    """A name climbing out of the folder is shown cleaned and saved under a number inside the
    batch's private folder; nothing appears beside it."""
    store = client.app.app.state.site.store  # type: ignore[attr-defined]
    form = (EXAMPLES / "luohu-2024-social-workers.yaml").read_bytes()
    _job, status = _batch(client, [("files", ("../../../../tmp/evil.yaml", form))])
    assert status["forms"][0]["file"] == "tmp/evil.yaml"
    saved = [p.relative_to(store.root) for p in store.root.rglob("*") if p.is_file()]
    assert [p.name for p in saved] == ["0001.yaml"]
    assert not (store.root.parent / "evil.yaml").exists()


def test_files_perfscore_does_not_read_are_passed_over(client: TestClient) -> None:
    """A .doc and an Office lock file beside a form: noted, not read."""
    form = (EXAMPLES / "luohu-2024-social-workers.yaml").read_bytes()
    sent = [("files", (n, form)) for n in ("a.yaml", "b.doc", "~$c.xlsx")]
    answer = client.post("/jobs", files=sent, headers=ORIGIN)
    assert answer.status_code == 202
    notes = answer.json()["notes"]
    assert len(notes) == 2
    assert "b.doc" in notes[0]
    assert "~$c.xlsx" in notes[1]
    only = [("files", ("b.doc", b"x"))]
    refused = client.post("/jobs", files=only, headers=ORIGIN)
    assert refused.status_code == 400
    assert "no form file" in refused.text


# --- rule files -------------------------------------------------------------------------------

_BAD_RULES = b"name: mine\nextends: national-2020\nweights: {execution: 20}\n"


def test_a_rule_file_is_checked_and_its_findings_shown(client: TestClient) -> None:
    """rules check's findings on an uploaded file, naming the file as uploaded."""
    answer = client.post(
        "/rules/check", files=[("rulefile", ("mine.yaml", _BAD_RULES))], headers=ORIGIN
    )
    got = answer.json()
    assert got["findings"], got
    assert all("perfscore-web-" not in line for line in got["findings"])
    good = client.post(
        "/rules/check",
        files=[("rulefile", ("ok.yaml", b"name: ok\ntitle: mine\nextends: national-2020\n"))],
        headers=ORIGIN,
    ).json()
    assert good == {"ok": True, "findings": []}


def test_a_rule_file_that_does_not_load_refuses_the_batch(client: TestClient) -> None:
    """A broken rule file: 400 with its findings; a good one is the batch's rule set."""
    form = _files(EXAMPLES / "luohu-2024-social-workers.yaml")
    broken = [*form, ("rulefile", ("broken.yaml", b"name: x\nweights: [1\n"))]
    answer = client.post("/jobs", files=broken, headers=ORIGIN)
    assert answer.status_code == 400
    assert answer.json()["findings"][0].startswith("broken.yaml")
    good = [*form, ("rulefile", ("ok.yaml", b"name: ok\ntitle: mine\nextends: national-2020\n"))]
    answer = client.post("/jobs", files=good, headers=ORIGIN)
    assert answer.status_code == 202
    assert answer.json()["rules"] == "ok.yaml"


def test_an_unknown_shipped_rule_set_is_refused(client: TestClient) -> None:
    """A rule-set name the server does not ship: 400 listing those it does."""
    sent = _files(EXAMPLES / "luohu-2024-social-workers.yaml")
    answer = client.post("/jobs", files=sent, data={"rules": "nation-2020"}, headers=ORIGIN)
    assert answer.status_code == 400
    assert "national-2020" in answer.text


# --- the batch store --------------------------------------------------------------------------


def test_a_cleared_batch_is_gone_with_its_files(client: TestClient) -> None:
    """DELETE removes the batch and its folder; asking for it again is 404 with a sentence."""
    store = client.app.app.state.site.store  # type: ignore[attr-defined]
    job, _ = _batch(client, _files(EXAMPLES / "luohu-2024-social-workers.yaml"))
    assert any(store.root.iterdir())
    assert client.delete(f"/jobs/{job}", headers=ORIGIN).status_code == 204
    assert not any(store.root.iterdir())
    gone = client.get(f"/jobs/{job}/report")
    assert gone.status_code == 404
    assert "upload the files again" in gone.text


def test_the_store_keeps_a_bounded_number_of_batches() -> None:
    """With room for two, a third batch pushes out the oldest finished one and its files."""
    with _client(max_jobs=2) as c:
        store = c.app.app.state.site.store  # type: ignore[attr-defined]
        jobs = [_batch(c, _files(EXAMPLES / "luohu-2024-social-workers.yaml"))[0] for _ in "abc"]
        assert c.get(f"/jobs/{jobs[0]}").status_code == 404
        assert all(c.get(f"/jobs/{j}").status_code == 200 for j in jobs[1:])
        assert len(list(store.root.iterdir())) == 2


def test_an_expired_batch_is_removed() -> None:
    """A finished batch past --keep-minutes is gone at the next request."""
    with _client(job_seconds=1) as c:
        job, _ = _batch(c, _files(EXAMPLES / "luohu-2024-social-workers.yaml"))
        time.sleep(1.1)
        assert c.get(f"/jobs/{job}").status_code == 404


def test_stopping_the_server_removes_every_file() -> None:
    """The store's private folder is gone once the application shuts down."""
    with _client() as c:
        root = c.app.app.state.site.store.root  # type: ignore[attr-defined]
        _batch(c, _files(EXAMPLES / "luohu-2024-social-workers.yaml"))
        assert root.exists()
    assert not root.exists()


# --- properties -------------------------------------------------------------------------------


@given(st.text(max_size=60))
def test_any_upload_name_shows_as_one_clean_relative_name(raw: str) -> None:
    """Whatever a browser sends as a name, the shown name has no control character, no
    ``..`` part, no leading ``/`` and no backslash."""
    from perfscore.web.uploads import display_name

    shown = display_name(raw, "file")
    assert shown
    assert not shown.startswith("/")
    assert "\\" not in shown
    assert ".." not in shown.split("/")
    assert all(c.isprintable() or c == " " or not c.isascii() for c in shown)


@given(st.text(alphabet="abc.:-[]0123456789", max_size=30))
def test_only_the_servers_own_hosts_pass(host: str) -> None:
    """A Host header passes the guard exactly when it is one the settings name."""
    from perfscore.web.guard import Guard

    settings = Settings()
    guard = Guard(create_app(settings), settings)
    scope = {"type": "http", "method": "GET", "headers": [(b"host", host.encode())]}
    assert (guard.refusal(scope) is None) == (host.lower() in settings.hosts())


def test_the_json_download_is_the_score_commands_json(client: TestClient) -> None:
    """The JSON download holds what ``perfscore score --format json`` writes for the form."""
    from perfscore.cli import run

    form = EXAMPLES / "luohu-2024-notary-lawyers.yaml"
    out, err = io.StringIO(), io.StringIO()
    run(["score", str(form), "--format", "json"], out, err)
    job, _ = _batch(client, _files(form))
    mine = client.get(f"/jobs/{job}/download/json").json()
    theirs = json.loads(out.getvalue())
    for item in (*mine, *theirs):  # the file as uploaded, the file as given on the command line
        item.pop("source")
        for flag in item["flags"]:
            (flag.get("source") or {}).pop("file", None)
    assert mine == theirs
    assert all(f["source"] for f in mine[0]["flags"] if f["path"].startswith("indicators["))


def test_data_forms_of_the_repository_all_score(client: TestClient) -> None:
    """Every form in tests/data/forms goes through the page as through the command line."""
    forms = sorted((DATA / "forms").glob("*.yaml"))
    _, status = _batch(client, _files(*forms))
    assert status["done"] == len(forms)
    assert not status["failures"]


def test_progress_counts_the_files_as_they_finish(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a batch is scored the page sees each file done as it finishes, with its form
    listed, and the state turns to done after the last."""
    import threading

    from perfscore.batch import evaluate_many
    from perfscore.web import jobs

    gate = threading.Semaphore(0)

    def one_at_a_time(forms: Any, rules: Any, **options: Any) -> Iterator[Any]:
        gate.acquire()  # each file waits for the test to let it through
        yield from evaluate_many(forms, rules, **options)

    monkeypatch.setattr(jobs, "evaluate_many", one_at_a_time)
    sent = _files(*sorted((DATA / "forms").glob("pingshan-*.yaml")))
    job = client.post("/jobs", files=sent, headers=ORIGIN).json()["id"]
    seen = []
    for step in range(len(sent) + 1):
        for _ in range(200):
            status = client.get(f"/jobs/{job}").json()
            if status["done"] == step:
                break
            time.sleep(0.02)
        seen.append((status["state"], status["done"], len(status["forms"])))
        gate.release()
    assert seen[0][0] in ("queued", "running")
    assert seen[-1][0] in ("running", "done")
    assert [done for _, done, _ in seen] == list(range(len(sent) + 1))
    assert [forms for _, _, forms in seen] == list(range(len(sent) + 1))
    assert _finished(client, job)["state"] == "done"


def test_a_new_batch_while_every_kept_one_is_scored_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With room for one batch, still being scored, a second is refused with 503 and a
    sentence; once the first is done, the next is taken (the finished one makes room)."""
    import threading

    from perfscore.batch import evaluate_many
    from perfscore.web import jobs

    gate = threading.Event()

    def held(forms: Any, rules: Any, **options: Any) -> Iterator[Any]:
        gate.wait(30)
        yield from evaluate_many(forms, rules, **options)

    monkeypatch.setattr(jobs, "evaluate_many", held)
    sent = _files(EXAMPLES / "luohu-2024-social-workers.yaml")
    with _client(max_jobs=1) as c:
        first = c.post("/jobs", files=sent, headers=ORIGIN).json()["id"]
        refused = c.post("/jobs", files=sent, headers=ORIGIN)
        assert refused.status_code == 503
        assert "being scored" in refused.text
        assert len(list(c.app.app.state.site.store.root.iterdir())) == 1  # type: ignore[attr-defined]
        gate.set()
        _finished(c, first)
        assert c.post("/jobs", files=sent, headers=ORIGIN).status_code == 202


# --- the workbench: the Word review and waivers -----------------------------------------------


def _needs(available: bool, what: str) -> None:
    if not available:
        pytest.skip(f"this perfscore has no {what}")


def test_the_word_review_download(client: TestClient) -> None:
    """The Word review of a batch: one document, read back, with each form's heading, the
    finding's place and opinion, and the file that could not be read."""
    from perfscore.web import workbench

    _needs(workbench.has_word_review(), "Word review")
    import docx

    text = (EXAMPLES / "luohu-2024-social-workers.yaml").read_text("utf-8")
    wrong = text.replace('actual: "90%", weight: 5', 'actual: "80%", weight: 5')
    sent = [("files", ("社工.yaml", wrong.encode())), ("files", ("坏.xlsx", b"x"))]
    job, _ = _batch(client, sent)
    answer = client.get(f"/jobs/{job}/download/docx")
    assert answer.status_code == 200
    assert (
        "filename*=UTF-8''%E5%AE%A1%E6%A0%B8%E6%84%8F%E8%A7%81.docx"
        in answer.headers["content-disposition"]
    )
    document = docx.Document(io.BytesIO(answer.content))
    words = "\n".join(p.text for p in document.paragraphs)
    words += "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "购买社工岗位服务" in words
    assert "解矫率" in words
    assert "请核实得分计算并更正" in words
    assert "坏.xlsx" in words
    assert "perfscore-web-" not in words


def test_waivers_mark_accepted_findings(client: TestClient) -> None:
    """With a waivers file the accepted findings are listed as accepted, with the reason, not
    counted; a waiver that matches nothing is listed as stale, named by the file uploaded."""
    folder = DATA / "waivers"
    sent = [
        ("files", ("training-2024.yaml", (folder / "training-2024.yaml").read_bytes())),
        ("waivers", ("复核.yaml", (folder / "training-2024.waivers.yaml").read_bytes())),
    ]
    job, status = _batch(client, sent)
    report = client.get(f"/jobs/{job}/report").text
    assert 'class="flag sev-row-error accepted" data-code="score-mismatch"' in report
    assert "经复核，培训人数按实际参训计，李四，2025-03-02" in report
    assert "复核.yaml:25: 法律服务培训项目 2023 total-mismatch" in report
    without, _ = _batch(client, sent[:1])
    before = client.get(f"/jobs/{without}").json()["forms"][0]["errors"]
    assert status["forms"][0]["errors"] < before


def test_a_waivers_file_that_is_wrong_refuses_the_batch(client: TestClient) -> None:
    """An unknown flag code in the waivers file: 400 naming the file as uploaded and the line."""
    sent = [
        *_files(EXAMPLES / "luohu-2024-social-workers.yaml"),
        ("waivers", ("w.yaml", b"- flag: nope\n  reason: x\n  project: y\n")),
    ]
    answer = client.post("/jobs", files=sent, headers=ORIGIN)
    assert answer.status_code == 400
    assert answer.text.startswith("w.yaml:1:")
