"""Web pages and text as a Chinese office writes them: a form published as a table in a page
(``.html``/``.htm``/``.mht``, UTF-8 or GBK, with navigation and a second table around it) and
text in GB18030 or UTF-16 score as the YAML twins; what cannot be read says what it is."""

from __future__ import annotations

import base64
import codecs
import quopri
from pathlib import Path

import pytest

import perfscore
from perfscore import FormError
from perfscore.readers import load_forms
from perfscore.readers.source import sniff
from tests import formats
from tests.conftest import DATA
from tests.test_formats import _outcome, _twins, _want

NEWS = (
    "<div class='nav'><a href='/'>首页</a> | <a href='/zwgk'>政务公开</a></div>"
    "<p>发布时间：2025-03-01　来源：区财政局</p><p>现将我单位项目支出绩效自评情况公开如下。</p>"
)
LINKS = (
    "<table><tr><td>相关链接</td><td>区政府门户</td></tr></table><p>【打印本页】【关闭窗口】</p>"
)


def _page(encoding: str, *, declared: bool = True, prologue: str = "") -> bytes:
    """The two Luohu forms as a government news page in ``encoding``."""
    page = formats.to_html(formats.layout(_twins()))
    meta = f"<meta charset='{encoding}'>" if declared else ""
    page = page.replace("<meta charset='utf-8'>", meta)
    page = page.replace("<body>", f"<body>{NEWS}").replace("</body>", f"{LINKS}</body>")
    return (prologue + page).encode(encoding)


@pytest.mark.parametrize(
    ("name", "encoding", "declared", "prologue"),
    [
        ("page.html", "utf-8", True, ""),
        ("page.htm", "gbk", True, ""),
        ("page.html", "gb18030", False, ""),  # no charset declared: sniffed
        ("saved.htm", "gbk", True, "<!-- saved from url=(0030)http://www.example.gov.cn/ -->\n"),
    ],
)
def test_web_page_scores_as_the_twins(
    tmp_path: Path, name: str, encoding: str, declared: bool, prologue: str
) -> None:
    path = tmp_path / name
    path.write_bytes(_page(encoding, declared=declared, prologue=prologue))
    forms = load_forms(path)
    assert [_outcome(perfscore.evaluate(f)) for f in forms] == _want()


def test_saved_page_under_a_workbook_name_is_html() -> None:
    """Regression: a page behind IE's ``saved from url`` comment was not recognised as HTML."""
    assert sniff(b"<!-- saved from url=(0030)http://x.gov.cn/ -->\r\n<html><body>") == "html"


def test_mht_page_scores_as_the_twins(tmp_path: Path) -> None:
    """A page saved as one MIME message (.mht), its HTML quoted-printable in GBK."""
    html = _page("gbk")
    body = quopri.encodestring(html).decode("ascii")
    picture = base64.b64encode(b"\x89PNG....").decode("ascii")
    mht = (
        "From: <Saved by Windows Internet Explorer 11>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/related; type="text/html"; boundary="----=_NextPart_000"\r\n\r\n'
        '------=_NextPart_000\r\nContent-Type: text/html; charset="gbk"\r\n'
        "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        f"{body}\r\n------=_NextPart_000\r\nContent-Type: image/png\r\n"
        f"Content-Transfer-Encoding: base64\r\n\r\n{picture}\r\n------=_NextPart_000--\r\n"
    )
    path = tmp_path / "page.mht"
    path.write_bytes(mht.encode("ascii"))
    forms = load_forms(path)
    assert [_outcome(perfscore.evaluate(f)) for f in forms] == _want()


def test_a_page_without_a_form_names_what_it_is(tmp_path: Path) -> None:
    path = tmp_path / "news.html"
    path.write_text(f"<html><body>{NEWS}{LINKS}</body></html>", "utf-8")
    with pytest.raises(FormError, match="no self-evaluation form found"):
        load_forms(path)
    path.write_text("会议纪要：本周五下午开会。", "utf-8")
    with pytest.raises(FormError, match="not a web page"):
        load_forms(path)


SEED = DATA / "seeds" / "003_1f06280c6eec3f80.txt"


@pytest.mark.parametrize(
    ("encoding", "bom", "note"),
    [
        ("gb18030", b"", "GB18030"),
        ("gbk", b"", "GB18030"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "UTF-16"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "UTF-16"),
        ("utf-8", codecs.BOM_UTF8, "UTF-8"),
    ],
)
def test_text_in_a_chinese_office_encoding(
    tmp_path: Path, encoding: str, bom: bytes, note: str
) -> None:
    """A published text in GBK/GB18030 or UTF-16 reads as the UTF-8 text does, and says which
    encoding it was read in."""
    text = SEED.read_text("utf-8")
    path = tmp_path / "seed.txt"
    path.write_bytes(bom + text.encode(encoding))
    got = [_outcome(perfscore.evaluate(f)) for f in load_forms(path)]
    assert got == [_outcome(perfscore.evaluate(f)) for f in load_forms(SEED)]
    notes = {n.message for f in load_forms(path) for n in f.notes}
    assert any(note in m for m in notes) == (note != "UTF-8")


def test_undecodable_text_names_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes("三级指标\t".encode() + b"\x80\xff\xfe")
    with pytest.raises(FormError, match=r"byte 13 \(0x80\)"):
        load_forms(path)


def test_folder_of_pages_is_read(tmp_path: Path) -> None:
    """A folder of .html pages is scored, not passed over in silence."""
    (tmp_path / "a.html").write_bytes(_page("utf-8"))
    from perfscore.readers import form_files

    (tmp_path / "logo.png").write_bytes(b"\x89PNG")
    (tmp_path / ".hidden").write_bytes(b"x")
    files, notes = form_files([tmp_path])
    assert [f.name for f in files] == ["a.html"]
    assert notes == [f"{tmp_path / 'logo.png'}: skipped, a .png file is not a form perfscore reads"]
